// The hosted TFTP server under load, against named baselines measured in the same run:
//  1. 1,000 concurrent 50 KB uploads over loopback to one server in job mode (expectUpload), clients in
//     a child process: lost/corrupt count, wall time, server CPU, memory per transfer;
//  2. one 10 MB transfer with atftp, blksize 1468 and windowsize 16, to our server and to atftpd
//     (upload and download, median of 3), plus atftp with the same options against tftpd-hpa.
// Run: npm run build && node --expose-gc bench/tftp/bench.mjs
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tftpPut } from '../../dist/tftp/client.js';
import { TftpServer } from '../../dist/tftp/server.js';

const COUNT = Number(process.env.TFTP_BENCH_UPLOADS ?? 1000);
const SIZE = 50 * 1024;
const BIG = 10 * 1024 * 1024;
const ATFTPD = '/var/cache/netops/atftpd/usr/sbin/atftpd';
const run = promisify(execFile);
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Content of upload i: deterministic, so the server side can check every byte without being told. */
function content(i) {
  const out = Buffer.alloc(SIZE);
  for (let at = 0, n = 0; at < SIZE; at += 32, n++) {
    createHash('sha256').update(`${i}:${n}`).digest().copy(out, at);
  }
  return out;
}

// ---- child process: the 1,000 clients ----
if (process.argv[2] === 'clients') {
  const port = Number(process.argv[3]);
  const files = Array.from({ length: COUNT }, (_, i) => content(i));
  // Timed from here: generating the payloads is not part of the transfers.
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  const results = await Promise.allSettled(
    files.map((data, i) =>
      tftpPut({ server: '127.0.0.1', port, filename: `r${i}-confg`, data, timeoutMs: 1000, retries: 8 }),
    ),
  );
  const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.message));
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(JSON.stringify({ ms: Date.now() - started, failed, cpu }));
  process.exit(0);
}

async function concurrentUploads() {
  const server = await TftpServer.start({ listen: [{ address: '127.0.0.1', port: 0 }], maxTransfers: 1024 });
  const port = server.addresses()[0].port;
  // Checked by digest so that verifying costs the server process almost nothing.
  const digest = (data) => createHash('sha256').update(data).digest('hex');
  const expected = Array.from({ length: COUNT }, (_, i) => digest(content(i)));
  globalThis.gc?.();
  const before = process.memoryUsage();
  const cpuBefore = process.cpuUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const waits = Array.from({ length: COUNT }, (_, i) => {
    const wait = server.expectUpload({ filename: `r${i}-confg`, from: ['127.0.0.1'], timeoutMs: 120_000 });
    return wait.then(
      (data) => digest(data) === expected[i],
      (error) => `r${i}: ${error.message}`,
    );
  });
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'clients', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let childOut = '';
  child.stdout.on('data', (d) => (childOut += d));
  const outcomes = await Promise.all(waits);
  await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  await server.close();
  const clients = JSON.parse(childOut);
  const wall = clients.ms; // first WRQ to last ACK, as the clients saw it
  const ok = outcomes.filter((o) => o === true).length;
  const corrupt = outcomes.filter((o) => o === false).length;
  const lost = outcomes.filter((o) => typeof o === 'string');
  console.log(
    `1. ${COUNT} concurrent ${SIZE / 1024} KB uploads over 127.0.0.1 (job mode, clients in a child process)`,
  );
  console.log(
    `   received intact ${ok}, corrupt ${corrupt}, lost ${lost.length}; client failures ${clients.failed.length}`,
  );
  if (lost.length > 0) console.log(`   first lost: ${lost[0]}`);
  console.log(`   wall ${(wall / 1000).toFixed(2)} s, ${mib((ok * SIZE) / (wall / 1000))}/s aggregate`);
  console.log(
    `   server CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user ${(cpu.user / 1e6).toFixed(2)}, system ${(cpu.system / 1e6).toFixed(2)}); ` +
      `clients CPU ${((clients.cpu.user + clients.cpu.system) / 1e6).toFixed(2)} s`,
  );
  console.log(
    `   memory: peak RSS +${mib(peakRss - before.rss)}, peak heap +${mib(peakHeap - before.heapUsed)} ` +
      `=> ${kib((peakRss - before.rss) / COUNT)} RSS and ${kib((peakHeap - before.heapUsed) / COUNT)} heap per transfer ` +
      `(the 50 KB payload held until the upload completes included)`,
  );
}

async function freePort() {
  const socket = createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

async function daemon(command, args, port) {
  const child = spawn(command, args, { stdio: 'ignore' });
  // Ready when it answers a probe (an ERROR for a missing file is an answer).
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
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

const atftpOptions = ['--option', 'blksize 1468', '--option', 'windowsize 16'];

async function timeAtftp(direction, port, local, remote) {
  const args =
    direction === 'upload'
      ? [...atftpOptions, '-p', '-l', local, '-r', remote, '127.0.0.1', String(port)]
      : [...atftpOptions, '-g', '-r', remote, '-l', local, '127.0.0.1', String(port)];
  const times = [];
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    await run('atftp', args);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (direction === 'upload') await rm(join(currentRoot, remote), { force: true });
  }
  return times.sort((a, b) => a - b)[1];
}

let currentRoot = '';

async function singleTransfer() {
  const work = await mkdtemp(join(tmpdir(), 'netops-bench-'));
  await chmod(work, 0o755); // the daemons run as nobody/tftp and must reach their roots
  const roots = { ours: join(work, 'ours'), atftpd: join(work, 'atftpd'), hpa: join(work, 'hpa') };
  const big = Buffer.alloc(BIG);
  for (let at = 0; at < BIG; at += 32) createHash('sha256').update(String(at)).digest().copy(big, at);
  for (const root of Object.values(roots)) {
    await rm(root, { recursive: true, force: true });
    await writeFile(join(work, 'big.bin'), big);
    await run('mkdir', ['-p', root]);
    await chmod(root, 0o777);
    await writeFile(join(root, 'big.bin'), big);
  }
  const results = {};
  // Ours: standalone with a root, overwrite so repeated uploads are comparable (temp file, fsync, rename).
  const server = await TftpServer.start({
    listen: [{ address: '127.0.0.1', port: 0 }],
    root: roots.ours,
    overwrite: true,
  });
  const measure = async (tag, port) => {
    currentRoot = roots[tag];
    results[tag] = {
      download: await timeAtftp('download', port, join(work, `down-${tag}.bin`), 'big.bin'),
      upload: await timeAtftp('upload', port, join(work, 'big.bin'), 'up.bin'),
    };
  };
  await measure('ours', server.addresses()[0].port);
  const intact = (await readFile(join(work, 'down-ours.bin'))).equals(big);
  await server.close();

  const atftpdPort = await freePort();
  const atftpd = await daemon(
    ATFTPD,
    [
      '--daemon',
      '--no-fork',
      '--port',
      String(atftpdPort),
      '--bind-address',
      '127.0.0.1',
      '--logfile',
      '/dev/null',
      roots.atftpd,
    ],
    atftpdPort,
  );
  await measure('atftpd', atftpdPort);
  await atftpd.stop();

  const hpaPort = await freePort();
  const hpa = await daemon(
    '/usr/sbin/in.tftpd',
    ['-L', '-a', `127.0.0.1:${hpaPort}`, '-c', '-s', roots.hpa],
    hpaPort,
  );
  await measure('hpa', hpaPort);
  await hpa.stop();
  await rm(work, { recursive: true, force: true });

  const ms = (v) => `${v.toFixed(0)} ms`;
  console.log(
    `2. one 10 MB transfer, atftp client, blksize 1468 windowsize 16, median of 3 (download intact: ${intact})`,
  );
  for (const direction of ['download', 'upload']) {
    const { ours, atftpd, hpa } = {
      ours: results.ours[direction],
      atftpd: results.atftpd[direction],
      hpa: results.hpa[direction],
    };
    console.log(
      `   ${direction.padEnd(8)} ours ${ms(ours)} (${mib(BIG / (ours / 1000))}/s) | atftpd ${ms(atftpd)} => ours/atftpd ${(ours / atftpd).toFixed(2)}x` +
        ` | tftpd-hpa (no windowsize) ${ms(hpa)} => ours/tftpd-hpa ${(ours / hpa).toFixed(2)}x`,
    );
  }
}

// Other work on the machine skews every figure; say how busy it was.
const load = () => loadavg()[0].toFixed(1);
console.log(`load average at start ${load()} (1 min)`);
await concurrentUploads();
console.log(`load average ${load()}`);
await sleep(200);
await singleTransfer();
