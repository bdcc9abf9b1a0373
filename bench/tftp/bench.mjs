// The hosted TFTP server under load, against baselines measured in the same run:
//  1. `devices` concurrent uploads of `configBytes` over loopback to one server in job mode
//     (expectUpload), clients in a child process: intact count, server CPU per DATA packet against
//     Node's dgram floor (bare sockets answering the same datagrams, same run) and the C floor (the
//     same in C: c-floor.c, compiled with gcc, in a process of its own) and the batch addon floor (the
//     same on batch-socket.c, a Node-API addon compiled with gcc: recvmmsg/sendmmsg, one JS call per
//     loop turn), memory per transfer; `rounds` times, in turns, the rows from the round with ours'
//     median; then the same uploads, same clients, to ours standalone, atftpd and tftpd-hpa, each in a process
//     of its own writing files, its whole tree's CPU counted by `perf stat -p` (threads, forked children);
//  2. one `bigBytes` transfer with atftp, blksize 1468 and windowsize 16, to our server, to atftpd,
//     to tftpd-hpa, to a minimal node:dgram server (floor-server.mjs: what Node itself costs) and to
//     the same on the batch addon (batch-floor-server.mjs: what Node could cost without node:dgram),
//     taken in turns (`rounds` of each, medians), upload and download. Every server runs in a process
//     of its own (ours and the floor through serve.mjs), and its CPU is read from /proc/PID/stat the
//     same way for all: atftpd's CPU per DATA packet is the baseline of ours.
// Run: npm run bench -- tftp [--devices N --config-bytes B], or npm run build && node --expose-gc bench/tftp/bench.mjs
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { TftpServer } from '../../dist/tftp/server.js';
import { compileBatchSocket } from './batch-socket.mjs';
import { blocksOf, upload } from './content.mjs';
import { compileCFloor } from './gcc.mjs';
import { cFloorRun, uploadRun } from './upload-run.mjs';
import { collectGarbage } from '../harness/collect-garbage.mjs';

export const about = {
  title: 'Hosted TFTP server: atftp transfers against atftpd, many concurrent uploads',
  baseline:
    'atftpd and tftpd-hpa with the same atftp client and options (taken in turns with ours), and taking the same concurrent uploads from the same clients (CPU of the whole process tree); ' +
    "atftpd's own CPU per DATA packet, Node's dgram floor, the batch addon floor and the C floor (bare sockets answering the same datagrams, on node:dgram, on a recvmmsg/sendmmsg addon and in C) for CPU per packet",
  params: ['devices', 'configBytes', 'bigBytes', 'rounds'],
  defaults: { devices: 1000, configBytes: 50 * 1024, bigBytes: 10 * 2 ** 20, rounds: 5 },
  smoke: { devices: 20, configBytes: 5 * 1024, bigBytes: 2 ** 20, rounds: 1 },
};

const ATFTPD = '/var/cache/netops/atftpd/usr/sbin/atftpd';
const HPA = '/usr/sbin/in.tftpd';
const CLIENTS = fileURLToPath(new URL('./clients.mjs', import.meta.url));
const SERVE = fileURLToPath(new URL('./serve.mjs', import.meta.url));
const execute = promisify(execFile);
const mib = (bytes) => bytes / 2 ** 20;
const cpuMicros = (usage) => usage.user + usage.system;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// Uploads are checked by digest: cheap, and its CPU is the bench's, taken out of the server's figure.
const digest = (data) => createHash('sha256').update(data).digest('hex');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the client child; resolves with its JSON report. */
function clients(args) {
  const child = spawn(process.execPath, [CLIENTS, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(JSON.parse(out)));
  });
}

/** CPU of this process and peak memory while `work` runs, less what the bench's own checks cost. */
async function measured(work) {
  let own = 0;
  const ownCpu = (fn) => {
    const before = process.cpuUsage();
    const result = fn();
    own += cpuMicros(process.cpuUsage(before));
    return result;
  };
  await collectGarbage();
  const before = process.memoryUsage();
  const peak = { rss: before.rss, heap: before.heapUsed };
  const sampler = setInterval(
    () =>
      ownCpu(() => {
        const m = process.memoryUsage();
        peak.rss = Math.max(peak.rss, m.rss);
        peak.heap = Math.max(peak.heap, m.heapUsed);
      }),
    20,
  );
  const cpuBefore = process.cpuUsage();
  const result = await work(ownCpu);
  const cpu = cpuMicros(process.cpuUsage(cpuBefore)) - own;
  clearInterval(sampler);
  return { result, cpu, rss: peak.rss - before.rss, heap: peak.heap - before.heapUsed };
}

async function concurrentUploads(count, size, expected) {
  const server = await TftpServer.start({ listen: [{ address: '127.0.0.1', port: 0 }], maxTransfers: 1024 });
  const port = server.addresses()[0].port;
  const run = await measured(async (ownCpu) => {
    const waits = Array.from({ length: count }, (_, i) =>
      server.expectUpload({ filename: `r${i}-confg`, from: ['127.0.0.1'], timeoutMs: 300_000 }).then(
        (data) => ownCpu(() => digest(data) === expected[i]),
        (error) => `r${i}: ${error.message}`,
      ),
    );
    const report = clients(['tftp', String(port), String(count), String(size)]);
    return { outcomes: await Promise.all(waits), clients: await report };
  });
  await server.close();
  const { outcomes } = run.result;
  return {
    ...run,
    intact: outcomes.filter((o) => o === true).length,
    corrupt: outcomes.filter((o) => o === false).length,
    lost: outcomes.filter((o) => typeof o === 'string'),
  };
}

/** The least a Node server can spend per packet: one bare socket per transfer answering each datagram. */
async function dgramFloor(count, size) {
  const ack = Buffer.from([0, 4, 0, 0]);
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const socket = createSocket('udp4');
      await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
      socket.on('message', (_message, from) => socket.send(ack, from.port, from.address));
      return socket;
    }),
  );
  const ports = sockets.map((s) => s.address().port);
  const run = await measured(() => clients(['floor', JSON.stringify(ports), String(size)]));
  await Promise.all(sockets.map((s) => new Promise((resolve) => s.close(resolve))));
  return run;
}

/**
 * The same bare sockets on the batch addon (compiled at `addon`), in a process of its own
 * (upload-server.mjs): its CPU from its sockets bound to its last ACK, as Node's floor is timed.
 */
async function batchFloor(addon, count, size) {
  const { code, errors } = await uploadRun({ mode: 'batch', count, size, addon });
  if (code !== 0) throw new Error(`upload-server.mjs batch exited with ${code}: ${errors}`);
  const usage = JSON.parse(errors.trim().split('\n').at(-1));
  return { ...usage, cpu: usage.serving };
}

async function freePort() {
  const socket = createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

/** CPU microseconds process `pid` has used, its reaped children included (tftpd-hpa forks per transfer). */
let ticksPerSecond;
async function cpuOf(pid) {
  ticksPerSecond ??= Number((await execute('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime, stime, cutime, cstime are 14-17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0);
  return (ticks / ticksPerSecond) * 1e6;
}

const stopped = (child) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });

/** Starts a daemon; ready when it answers a probe (an ERROR for a missing file is an answer). */
async function daemon(command, args, port) {
  const child = spawn(command, args, { stdio: 'ignore' });
  const probe = createSocket('udp4');
  try {
    for (let i = 0; i < 100; i++) {
      const answered = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), 50);
        probe.once('message', () => {
          clearTimeout(timer);
          resolve(true);
        });
        probe.send(Buffer.from('\0\x01probe-missing\0octet\0', 'latin1'), port, '127.0.0.1');
      });
      if (answered) break;
    }
  } finally {
    probe.close();
  }
  return { pid: child.pid, stop: () => stopped(child) };
}

/** Ours or a floor in a process of its own (serve.mjs); ready when it prints its port. */
async function nodeServer(kind, root, addon) {
  const args = [SERVE, kind, root, ...(addon ? [addon] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench/tftp/serve.mjs ${kind} exited with ${code}`)));
    child.stdout.on('data', (data) => {
      out += data;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
  });
  return { pid: child.pid, port, stop: () => stopped(child) };
}

/** A fresh root for a daemon (mode 0777: the daemons run as nobody/tftp), holding `files`. */
async function daemonRoot(work, name, files = {}) {
  const dir = join(work, name);
  await mkdir(dir);
  await chmod(dir, 0o777);
  for (const [file, data] of Object.entries(files)) await writeFile(join(dir, file), data);
  return dir;
}

/**
 * atftpd or tftpd-hpa serving `dir` on a free port of 127.0.0.1, or undefined when not installed.
 * atftpd runs its transfers as threads (at most 100 unless told: the 1,000 uploads need more),
 * tftpd-hpa forks a child per transfer and reaps it: /proc/PID/stat counts both whole (cpuOf).
 */
async function startDaemon(name, dir) {
  const port = await freePort();
  if (name === 'atftpd' && existsSync(ATFTPD)) {
    const args = ['--daemon', '--no-fork', '--port', String(port), '--bind-address', '127.0.0.1'];
    const threads = ['--maxthread', '2048'];
    return {
      root: dir,
      port,
      ...(await daemon(ATFTPD, [...args, ...threads, '--logfile', '/dev/null', dir], port)),
    };
  }
  if (name === 'hpa' && existsSync(HPA)) {
    return {
      root: dir,
      port,
      ...(await daemon(HPA, ['-L', '-a', `127.0.0.1:${port}`, '-c', '-s', dir], port)),
    };
  }
  return undefined;
}

/** The five servers of part 2 (the batch floor given its `addon`), each over its own root holding big.bin. */
async function startPeers(work, big, addon) {
  const peers = {};
  // Ours: standalone with a root, overwrite so repeated uploads are comparable (temp file, fsync, rename).
  for (const kind of ['ours', 'floor', ...(addon ? ['batch'] : [])]) {
    const dir = await daemonRoot(work, kind, { 'big.bin': big });
    peers[kind] = { root: dir, ...(await nodeServer(kind, dir, kind === 'batch' ? addon : undefined)) };
  }
  for (const name of ['atftpd', 'hpa']) {
    const peer = await startDaemon(name, await daemonRoot(work, name, { 'big.bin': big }));
    if (peer) peers[name] = peer;
  }
  return peers;
}

/** Threads and child processes of `pid` (atftpd's per-transfer threads, tftpd-hpa's per-transfer children). */
async function treeOf(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim();
  return {
    threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]),
    children: children ? children.split(' ').length : 0,
  };
}

/** Longer than any server lingers after a final ACK for a retransmitted last block (ours 3 s, tftpd-hpa 1 s). */
const LINGER_MS = 3500;

const PERF = '/usr/bin/perf';

/**
 * Counts the CPU of `pid`'s whole tree from now on (`perf stat -p`: its threads, and the children it
 * forks afterwards, which inherit the counter), or undefined without perf. /proc/PID/stat is not
 * enough for tftpd-hpa: its per-transfer children never reach its cutime/cstime (200 uploads: 0 ticks
 * there against 3.4 s counted by perf, while the parent itself spent 0.37 s).
 */
async function treeCounter(pid, work) {
  if (!existsSync(PERF)) return undefined;
  const out = join(work, `perf-${pid}.csv`);
  const perf = spawn(PERF, ['stat', '-e', 'task-clock', '-x,', '-o', out, '-p', String(pid)], {
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => perf.once('exit', resolve));
  // perf writes its header once it counts.
  for (let i = 0; i < 250 && !(await readFile(out, 'utf8').catch(() => '')).includes('started'); i++)
    await sleep(20);
  return async () => {
    perf.kill('SIGINT');
    await exited;
    const line = (await readFile(out, 'utf8')).split('\n').find((l) => l.includes(',task-clock,'));
    return line ? Number(line.split(',')[0]) * 1000 : undefined; // msec -> us
  };
}

/**
 * The concurrent uploads of part 1 to a server in a process of its own, writing files under its root.
 * Its CPU is counted from before the first request until its transfers are gone (threads and children
 * back to idle, then the longest linger), by perf over the whole tree (`tree`) and from /proc/PID/stat
 * as in part 2 (`proc`: the process, its threads and the children it reaped itself).
 */
async function uploadsTo(peer, count, size, expected, work) {
  const idle = await treeOf(peer.pid);
  const counter = await treeCounter(peer.pid, work);
  const cpuBefore = await cpuOf(peer.pid);
  const report = await clients(['tftp', String(peer.port), String(count), String(size)]);
  for (let waited = 0; waited < 30_000; waited += 100) {
    const now = await treeOf(peer.pid);
    if (now.threads <= idle.threads && now.children <= idle.children) break;
    await sleep(100);
  }
  await sleep(LINGER_MS);
  const proc = (await cpuOf(peer.pid)) - cpuBefore;
  const tree = await counter?.();
  let intact = 0;
  for (let i = 0; i < count; i++) {
    const data = await readFile(join(peer.root, `r${i}-confg`)).catch(() => undefined);
    if (data && digest(data) === expected[i]) intact++;
  }
  return { cpu: tree, proc, intact, failed: report.failed.length, ms: report.ms };
}

/** Part 1 again against ours standalone, atftpd and tftpd-hpa (those installed), one after the other. */
async function standaloneUploads(count, size, expected) {
  const work = await mkdtemp(join(tmpdir(), 'netops-bench-'));
  await chmod(work, 0o755); // the daemons must reach their roots
  const results = {};
  try {
    for (const name of ['ours', 'atftpd', 'hpa']) {
      const dir = await daemonRoot(work, name);
      const peer =
        name === 'ours' ? { root: dir, ...(await nodeServer('ours', dir)) } : await startDaemon(name, dir);
      if (!peer) continue;
      try {
        results[name] = await uploadsTo(peer, count, size, expected, work);
      } finally {
        await peer.stop();
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return results;
}

/** fsync of `file`, then of its folder: what ours does before its final ACK, in ms. */
async function commitMs(file, folder) {
  const started = process.hrtime.bigint();
  for (const path of [file, folder]) {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * One atftp transfer; wall ms and the CPU the server's process spent meanwhile. For an upload to
 * atftpd, `durableMs` is the wall until the file is on disk, as ours has it at its final ACK: the
 * file and its folder are fsynced once the client returns.
 */
async function timeAtftp(direction, peer, work, name) {
  const options = ['--option', 'blksize 1468', '--option', 'windowsize 16'];
  const args =
    direction === 'upload'
      ? [...options, '-p', '-l', join(work, 'big.bin'), '-r', 'up.bin', '127.0.0.1', String(peer.port)]
      : [...options, '-g', '-r', 'big.bin', '-l', join(work, 'down.bin'), '127.0.0.1', String(peer.port)];
  const cpuBefore = await cpuOf(peer.pid);
  const started = process.hrtime.bigint();
  await execute('atftp', args);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = (await cpuOf(peer.pid)) - cpuBefore;
  if (direction === 'download') return { ms, cpu };
  const uploaded = join(peer.root, 'up.bin');
  const durableMs = name === 'atftpd' ? ms + (await commitMs(uploaded, peer.root)) : undefined;
  await rm(uploaded, { force: true });
  return { ms, cpu, durableMs };
}

async function singleTransfers(bigBytes, rounds, addon) {
  const work = await mkdtemp(join(tmpdir(), 'netops-bench-'));
  await chmod(work, 0o755); // the daemons must reach their roots
  const big = Buffer.alloc(bigBytes);
  for (let at = 0; at < bigBytes; at += 32) createHash('sha256').update(String(at)).digest().copy(big, at);
  await writeFile(join(work, 'big.bin'), big);
  const peers = await startPeers(work, big, addon);
  const times = {};
  let intact = true;
  try {
    // In turns, so that a busy spell on the machine falls on every server alike.
    for (let round = 0; round < rounds; round++) {
      for (const direction of ['download', 'upload']) {
        for (const [name, peer] of Object.entries(peers)) {
          (times[`${direction} ${name}`] ??= []).push(await timeAtftp(direction, peer, work, name));
          if (direction === 'download' && name === 'ours') {
            intact &&= (await readFile(join(work, 'down.bin'))).equals(big);
          }
        }
      }
    }
  } finally {
    for (const peer of Object.values(peers)) await peer.stop();
    await rm(work, { recursive: true, force: true });
  }
  // Wall: the median turn. CPU: the mean, as the kernel counts it in ticks (10 ms) per process.
  const summary = (key) =>
    times[key] && {
      ms: median(times[key].map((t) => t.ms)),
      durableMs:
        times[key][0].durableMs === undefined ? undefined : median(times[key].map((t) => t.durableMs)),
      cpu: times[key].reduce((sum, t) => sum + t.cpu, 0) / times[key].length,
    };
  return { intact, peers: Object.keys(peers), summary };
}

function transferRows(single, bigBytes) {
  const rows = [];
  const label = `${(bigBytes / 2 ** 20).toFixed(0)} MB, atftp blksize 1468 windowsize 16`;
  const dataPackets = Math.floor(bigBytes / 1468) + 1;
  for (const direction of ['download', 'upload']) {
    const ours = single.summary(`${direction} ours`);
    const throughput = (s) => s && mib(bigBytes) / (s.ms / 1000);
    const perPacket = (s) => s && s.cpu / dataPackets;
    for (const [name, baselineName, goal] of [
      ['atftpd', 'atftpd', { ratioMin: 0.8, text: '>= 0.8x atftpd' }],
      ['hpa', 'tftpd-hpa (no windowsize)', undefined],
      ['floor', "Node's dgram floor (minimal server)", undefined],
      ['batch', 'Node + batch addon floor (minimal server)', undefined],
    ]) {
      if (!goal && !single.peers.includes(name)) continue; // a missing peer's row would say nothing
      rows.push({
        measure: `${direction} ${label}: throughput (median)`,
        unit: 'MiB/s',
        netops: throughput(ours),
        baseline: throughput(single.summary(`${direction} ${name}`)),
        baselineName,
        ...(goal ? { goal } : {}),
      });
    }
    const atftpd = single.summary(`${direction} atftpd`);
    if (direction === 'upload' && atftpd) {
      // Ours answers the last block once the file is on disk; atftpd once it is in the page cache.
      rows.push({
        measure: `${direction} ${label}: throughput until the file is on disk (median)`,
        unit: 'MiB/s',
        netops: throughput(ours),
        baseline: mib(bigBytes) / (atftpd.durableMs / 1000),
        baselineName: 'atftpd, its file and folder fsynced once the client returns',
      });
    }
    // Each server's own process: ours includes its commit to disk (write, fsync, rename) on uploads.
    for (const [name, baselineName, goal] of [
      ['atftpd', 'atftpd', { max: 15, text: '<= 15 us' }],
      ['floor', "Node's dgram floor (minimal server)", undefined],
      ['batch', 'Node + batch addon floor (minimal server)', undefined],
    ]) {
      if (!goal && !single.peers.includes(name)) continue;
      rows.push({
        measure: `${direction} ${label}: server CPU per DATA packet (mean)`,
        unit: 'us',
        netops: perPacket(ours),
        baseline: perPacket(single.summary(`${direction} ${name}`)),
        baselineName,
        ...(goal ? { goal } : {}),
      });
    }
  }
  return rows;
}

/** The batch addon floor's 10 MB transfers against atftpd's: what the goal's ratio could reach. */
function batchAgainstAtftpd(single, bigBytes) {
  const dataPackets = Math.floor(bigBytes / 1468) + 1;
  return ['download', 'upload'].flatMap((direction) => {
    const [batch, atftpd] = ['batch', 'atftpd'].map((name) => single.summary(`${direction} ${name}`));
    if (!batch || !atftpd) return [];
    return [
      `${direction}: Node + batch addon floor at ${(atftpd.ms / batch.ms).toFixed(2)}x atftpd's throughput, ` +
        `${(batch.cpu / dataPackets).toFixed(2)} against ${(atftpd.cpu / dataPackets).toFixed(2)} us of server CPU per DATA packet`,
    ];
  });
}

function uploadRows(uploads, floor, cFloorUsage, batchUsage, count, size) {
  const dataPackets = count * blocksOf(size);
  const batch = batchUsage
    ? [
        {
          measure: `${count} concurrent uploads: server CPU per DATA packet, against bare sockets on a batch addon`,
          unit: 'us',
          netops: uploads.cpu / dataPackets,
          baseline: batchUsage.cpu / dataPackets,
          baselineName: 'Node + batch addon floor (recvmmsg + sendmmsg, one JS call per loop turn)',
        },
      ]
    : [];
  const inC = cFloorUsage
    ? [
        {
          measure: `${count} concurrent uploads: server CPU per DATA packet, against bare sockets in C`,
          unit: 'us',
          netops: uploads.cpu / dataPackets,
          baseline: cFloorUsage.cpu / dataPackets,
          baselineName: 'the C floor (epoll, recvfrom + sendto, nothing kept)',
          goal: { max: 15, text: '<= 15 us' },
        },
      ]
    : [];
  return [
    {
      measure: `${count} concurrent ${(size / 1024).toFixed(0)} KB uploads: received intact`,
      unit: 'uploads',
      netops: uploads.intact,
      goal: { min: count, text: 'all intact' },
    },
    {
      measure: `${count} concurrent uploads: server CPU per DATA packet (its ACK included)`,
      unit: 'us',
      netops: uploads.cpu / dataPackets,
      baseline: floor.cpu / dataPackets,
      baselineName: "Node's dgram floor",
      goal: { max: 15, text: '<= 15 us' },
    },
    ...batch,
    ...inC,
    {
      measure: `${count} concurrent uploads: peak RSS per transfer (payload held to the end included)`,
      unit: 'KiB',
      netops: uploads.rss / count / 1024,
    },
  ];
}

/**
 * The same uploads against the C servers: ours in job mode (the backups' case, bytes kept in memory)
 * and ours standalone (files written and fsynced, each server in a process of its own, CPU read the
 * same way) beside atftpd and tftpd-hpa writing files.
 */
function daemonUploadRows(uploads, standalone, count, size) {
  const dataPackets = count * blocksOf(size);
  // Undefined without perf (the tree's CPU) or without the peer: such rows are left out.
  const perPacket = (result) => (result?.cpu === undefined ? undefined : result.cpu / dataPackets);
  const rows = [];
  for (const [name, baselineName] of [
    ['atftpd', 'atftpd (threads, files written)'],
    ['hpa', 'tftpd-hpa (a child per transfer, files written)'],
  ]) {
    const baseline = perPacket(standalone[name]);
    if (baseline === undefined) continue;
    rows.push({
      measure: `${count} concurrent uploads: server CPU per DATA packet, ours in job mode (memory)`,
      unit: 'us',
      netops: uploads.cpu / dataPackets,
      baseline,
      baselineName,
      // On the goals table beside the floor's row: what a C server spends on the same uploads.
      ...(name === 'atftpd' ? { goal: { max: 15, text: '<= 15 us' } } : {}),
    });
    if (perPacket(standalone.ours) === undefined) continue;
    rows.push({
      measure: `${count} concurrent uploads: server CPU per DATA packet, ours standalone (files written, fsync)`,
      unit: 'us',
      netops: perPacket(standalone.ours),
      baseline,
      baselineName,
    });
  }
  if (standalone.ours) {
    rows.push({
      measure: `${count} concurrent uploads to ours standalone / atftpd (tftpd-hpa): received intact`,
      unit: 'uploads',
      netops: standalone.ours.intact,
      ...(standalone.atftpd ? { baseline: standalone.atftpd.intact } : {}),
      baselineName: `atftpd (tftpd-hpa ${standalone.hpa?.intact ?? '-'})`,
      goal: { min: count, text: 'all intact' },
    });
  }
  return rows;
}

/**
 * Part 1, `rounds` times: Node's dgram floor, the C floor, the batch addon floor (those built) and
 * ours take the same concurrent uploads, in the reverse order every other round, so that a slow
 * spell of the machine falls on each alike. One run could not tell: the C floor alone read 5.07 and
 * 8.13 us per packet in two runs half an hour apart.
 */
async function concurrentRounds({ rounds, devices, configBytes, expected }, { binary, addon }) {
  const steps = {
    floor: () => dgramFloor(devices, configBytes),
    // The same bare sockets in C, in a process of its own: what any server spends per datagram here.
    c: () => binary && cFloorRun(binary, devices, configBytes),
    batch: () => addon && batchFloor(addon, devices, configBytes),
    uploads: () => concurrentUploads(devices, configBytes, expected),
  };
  const taken = [];
  for (let round = 0; round < rounds; round++) {
    const names = Object.keys(steps);
    const turn = {};
    for (const name of round % 2 ? names.reverse() : names) turn[name] = await steps[name]();
    taken.push(turn);
  }
  return taken;
}

/** Each round's CPU per DATA packet, ours first, and which round the rows give (1-based). */
function roundsNote(taken, chosen, devices, configBytes) {
  const packets = devices * blocksOf(configBytes);
  const perPacket = (name) =>
    taken.map((turn) => (turn[name] ? (turn[name].cpu / packets).toFixed(1) : '-')).join(', ');
  return (
    `${devices} concurrent uploads, each of ${taken.length} rounds (the rows give round ${chosen}, ours' median; memory: the most of any round), ` +
    `server CPU per DATA packet: ours ${perPacket('uploads')} us; Node's dgram floor ${perPacket('floor')}; ` +
    `batch addon floor ${perPacket('batch')}; C floor ${perPacket('c')}`
  );
}

async function measuredRun({ devices, configBytes, bigBytes, rounds }, notes, built) {
  const expected = Array.from({ length: devices }, (_, i) => digest(upload(i, configBytes)));
  const taken = await concurrentRounds({ rounds, devices, configBytes, expected }, built);
  // The round with ours' median (of an even count, the higher), beside its own floors.
  const chosen = [...taken].sort((a, b) => a.uploads.cpu - b.uploads.cpu)[Math.floor(taken.length / 2)];
  const { floor, c: cFloorUsage, batch: batchUsage } = chosen;
  const uploads = {
    ...chosen.uploads,
    // Intact only if every round's were. Memory from the round that needed most: after the first,
    // the process has grown already and reuses what it holds.
    intact: Math.min(...taken.map((turn) => turn.uploads.intact)),
    rss: Math.max(...taken.map((turn) => turn.uploads.rss)),
    heap: Math.max(...taken.map((turn) => turn.uploads.heap)),
  };
  notes.push(roundsNote(taken, taken.indexOf(chosen) + 1, devices, configBytes));
  if (!cFloorUsage)
    notes.push('gcc is missing: the C floor was not measured (`npm run lab:deps` installs it)');
  if (!batchUsage)
    notes.push(
      "gcc or Node's headers (/usr/include/node) are missing: the batch addon floor was not measured (`npm run lab:deps` installs gcc)",
    );
  else
    notes.push(
      `batch addon floor: ${((devices * (blocksOf(configBytes) + 1)) / batchUsage.calls).toFixed(2)} datagrams per JS call, ` +
        `${batchUsage.dropped} answers refused by the kernel`,
    );
  const lost = taken.flatMap((turn) => turn.uploads.lost);
  const corrupt = taken.reduce((sum, turn) => sum + turn.uploads.corrupt, 0);
  const { clients: report } = uploads.result;
  notes.push(
    `uploads, all rounds: corrupt ${corrupt}, lost ${lost.length}${lost.length ? ` (first: ${lost[0]})` : ''}; ` +
      `the median round: client failures ${report.failed.length}; wall ${(report.ms / 1000).toFixed(2)} s (floor ${(floor.result.ms / 1000).toFixed(2)} s); ` +
      `server CPU ${(uploads.cpu / 1e6).toFixed(2)} s, clients CPU ${(cpuMicros(report.cpu) / 1e6).toFixed(2)} s; ` +
      `peak heap (the most of any round) +${(uploads.heap / 2 ** 20).toFixed(1)} MiB`,
  );
  const standalone = await standaloneUploads(devices, configBytes, expected);
  for (const [name, result] of Object.entries(standalone)) {
    notes.push(
      `uploads to ${name} in a process of its own: ${result.intact} intact, client failures ${result.failed}, ` +
        `wall ${(result.ms / 1000).toFixed(2)} s, server CPU ${result.cpu === undefined ? '-' : (result.cpu / 1e6).toFixed(2)} s ` +
        `(perf, whole tree; /proc/PID/stat ${(result.proc / 1e6).toFixed(2)} s)`,
    );
  }
  const single = await singleTransfers(bigBytes, rounds, built.addon);
  notes.push(
    `${(bigBytes / 2 ** 20).toFixed(0)} MB download through our server intact: ${single.intact}; medians of ${rounds} turns each`,
  );
  notes.push(...batchAgainstAtftpd(single, bigBytes));
  for (const missing of ['atftpd', 'hpa'].filter((name) => !single.peers.includes(name))) {
    notes.push(`${missing} is missing: install it with \`npm run lab:deps\` (scripts/install-deps.sh)`);
  }
  if (!existsSync(PERF)) {
    notes.push(
      'perf is missing (Debian linux-perf): the concurrent uploads were not compared with atftpd and tftpd-hpa',
    );
  }
  notes.push(`load average at end ${loadavg()[0].toFixed(1)}`);
  return {
    rows: [
      ...uploadRows(uploads, floor, cFloorUsage, batchUsage, devices, configBytes),
      ...daemonUploadRows(uploads, standalone, devices, configBytes),
      ...transferRows(single, bigBytes),
    ],
    notes,
  };
}

export async function run({ devices, configBytes, bigBytes, rounds }) {
  const notes = [
    `load average at start ${loadavg()[0].toFixed(1)} (1 min): other work on the machine skews every figure`,
  ];
  // The bench's C, compiled for this run: the C floor and the batch addon (undefined without gcc).
  const built = await mkdtemp(join(tmpdir(), 'netops-bench-gcc-'));
  try {
    return await measuredRun({ devices, configBytes, bigBytes, rounds }, notes, {
      binary: await compileCFloor(built),
      addon: await compileBatchSocket(built),
    });
  } finally {
    await rm(built, { recursive: true, force: true });
  }
}

// Run directly: print the rows (the harness, bench/run.mjs, prints them as a table and keeps them).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const params = { ...about.defaults };
  for (const [flag, key] of [
    ['--devices', 'devices'],
    ['--config-bytes', 'configBytes'],
    ['--rounds', 'rounds'],
  ]) {
    const at = process.argv.indexOf(flag);
    if (at > 0) params[key] = Number(process.argv[at + 1]);
  }
  const { rows, notes } = await run(params);
  for (const row of rows) {
    const figure = (v) => (v === undefined ? '-' : v.toFixed(v < 100 ? 1 : 0));
    const ratio = row.baseline ? ` ratio ${(row.netops / row.baseline).toFixed(2)}x` : '';
    console.log(
      `${row.measure}: ${figure(row.netops)} ${row.unit}` +
        (row.baseline === undefined ? '' : ` | ${row.baselineName} ${figure(row.baseline)}${ratio}`) +
        (row.goal ? ` (goal ${row.goal.text})` : ''),
    );
  }
  for (const note of notes) console.log(`note: ${note}`);
}
