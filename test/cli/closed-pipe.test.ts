/**
 * `netops ... | head`: a reader that closes the pipe before netops has written is no error of
 * netops'. The command ends with its own exit code and no EPIPE stack trace on stderr. And a pipe
 * that is full and non-blocking when `netops --version` writes (its bin writes to fd 1 itself) gets
 * the version once its reader makes room.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/fixture.js';
import { netopsBin } from '../helpers/netops-cli.js';

const dir = useTempDir('netops-pipe-');

function withClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [netopsBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed at once, long before node has loaded netops: its first write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('output to a pipe its reader closed', () => {
  // --version and -V are answered by the installed bin itself (bin.cts), the rest by main.js.
  it.each(['--version', '-V', 'status --help', '--help', 'tasks'])('netops %s ends quietly', async (line) => {
    const result = await withClosedStdout(line.split(' '));
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(result.code).toBe(0);
  });
});

/** A FIFO whose write end is non-blocking and already full: the reader has not read anything yet. */
function fullNonBlockingPipe(): { reader: number; writer: number; filled: number } {
  const fifo = path.join(dir, `fifo-${Math.random().toString(36).slice(2)}`);
  execFileSync('mkfifo', [fifo]);
  const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writer = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  let filled = 0;
  try {
    for (;;) filled += fs.writeSync(writer, Buffer.alloc(4096, 'x'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
  }
  return { reader, writer, filled };
}

/**
 * Resolves once process `pid` has ended or waits in epoll: netops' event loop, which it enters only
 * after --version's write met the full pipe (it would otherwise have exited). Reading earlier would
 * make room before netops writes, and test nothing.
 */
async function waitingForEvents(pid: number, exited: Promise<unknown>): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  for (let polls = 0; polls < 600 && !ended; polls++) {
    const wchan = await fs.promises.readFile(`/proc/${pid}/wchan`, 'utf8').catch(() => '');
    if (/epoll/.test(wchan)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('output to a full non-blocking pipe', () => {
  it('netops --version waits for room, then writes its version after what was there', async () => {
    const { reader, writer, filled } = fullNonBlockingPipe();
    // libuv makes a child's stdio blocking when it spawns it: Debian's python3 makes it non-blocking
    // again, as some event loops leave it, then becomes netops.
    const nonBlocking = `import os; os.set_blocking(1, False); os.execv(${JSON.stringify(process.execPath)}, ["node", ${JSON.stringify(netopsBin)}, "--version"])`;
    const child = spawn('/usr/bin/python3', ['-c', nonBlocking], { stdio: ['ignore', writer, 'pipe'] });
    fs.closeSync(writer);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitingForEvents(child.pid!, exited);
    // Read to the end: the end comes once netops, the last writer, has exited.
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const socket = new net.Socket({ fd: reader, readable: true, writable: false });
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', resolve);
      socket.on('error', reject);
    });
    const out = Buffer.concat(chunks).toString();
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(out.length).toBeGreaterThan(filled);
    expect(out.slice(filled)).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
