/**
 * The transport tests' peers leave nothing on the machine. FRR: once `stop()` returns, its daemons
 * are gone, and so are the vty folder and each daemon's folder under /var/tmp/frr (FRR's crash log
 * and log buffers, which FRR removes itself only when it exits cleanly). inetd: once `close()`
 * returns, the servers it started per connection have exited.
 */
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect, it } from 'vitest';
import { isAlive, startTimeOf } from '../../src/lab/netns/processes.js';
import { inetd, startFrr, type Frr } from './peers.js';

/** Each daemon by its PID file, with the /var/tmp/frr folder it holds open (whatever FRR named it). */
async function daemonsOf(frr: Frr) {
  return Promise.all(
    ['zebra', 'staticd'].map(async (name) => {
      const pid = Number(readFileSync(path.join(frr.vtyDir, `${name}.pid`), 'utf8'));
      const links = readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
        try {
          return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
        } catch {
          return []; // closed meanwhile
        }
      });
      const tmpDir = links.find((link) => link.startsWith('/var/tmp/frr/'));
      return { name, pid, startTime: (await startTimeOf(pid)) ?? '', tmpDir: tmpDir ?? '' };
    }),
  );
}

async function expectNothingLeft(frr: Frr, daemons: Awaited<ReturnType<typeof daemonsOf>>) {
  const running = [];
  for (const daemon of daemons) if (await isAlive(daemon)) running.push(daemon.name);
  expect(running).toEqual([]);
  expect(daemons.filter((d) => existsSync(d.tmpDir)).map((d) => d.tmpDir)).toEqual([]);
  expect(existsSync(frr.vtyDir)).toBe(false);
}

it('ends its daemons and removes their folders before stop() returns', async () => {
  const frr = await startFrr('frr-stop');
  const daemons = await daemonsOf(frr);
  expect(daemons.map((d) => [d.name, d.tmpDir !== '' && existsSync(d.tmpDir)])).toEqual([
    ['zebra', true],
    ['staticd', true],
  ]);
  await frr.stop();
  await expectNothingLeft(frr, daemons);
});

it('kills daemons that do not end on SIGTERM and removes the folders they could not', async () => {
  const frr = await startFrr('frr-stuck');
  const daemons = await daemonsOf(frr);
  try {
    // A stopped process keeps SIGTERM pending: it neither exits nor cleans up until SIGKILL.
    for (const daemon of daemons) process.kill(daemon.pid, 'SIGSTOP');
    await frr.stop(500);
    await expectNothingLeft(frr, daemons);
  } finally {
    // Only if stop() failed: the same processes (PID and start time), never another.
    for (const daemon of daemons) if (await isAlive(daemon)) process.kill(daemon.pid, 'SIGKILL');
  }
});

it('closes inetd only once the server it started for a connection has exited', async () => {
  // A server that takes a moment to end on SIGTERM, as sshd and telnetd may with a session open.
  const server = `process.on('SIGTERM', () => setTimeout(() => process.exit(0), 300));
    process.stdout.write(process.pid + '\\n'); setInterval(() => undefined, 1000);`;
  const peer = await inetd('127.0.0.1', () => [process.execPath, ['-e', server]]);
  const socket = net.connect(peer.port, '127.0.0.1');
  try {
    const pid = await new Promise<number>((resolve, reject) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(Number(text.trim()));
      });
      socket.once('error', reject);
    });
    await peer.close();
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  } finally {
    socket.destroy();
  }
});
