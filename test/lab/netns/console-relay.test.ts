/**
 * The netns lab's terminal server (console-relay-main) stays up until it is stopped, with or without
 * console lines: a lab of scale devices only has none, and a relay that exited right after `ready`
 * raced the lab's readiness check, which failed the lab's start (`terminal-server exited while
 * terminal-server was starting`, seen in a CI run of the queue bench's smoke size).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSources, type CompiledRuntime } from './runtime.js';

let runtime: CompiledRuntime;
let dir: string;
beforeAll(async () => {
  runtime = await compileSources();
  dir = await mkdtemp(path.join(tmpdir(), 'netops-console-relay-'));
});
afterAll(async () => {
  await runtime.remove();
  await rm(dir, { recursive: true, force: true });
});

describe('terminal server without console lines', () => {
  it('says ready, stays up, and ends on SIGTERM with exit 0', async () => {
    const config = path.join(dir, 'relay.json');
    await writeFile(config, JSON.stringify({ addresses: ['127.0.0.1'], lines: [] }));
    const relay = spawn(runtime.node, [path.join(runtime.entries, 'console-relay-main.js'), config], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(relay, 'exit');
    let output = '';
    for await (const chunk of relay.stdout) {
      output += String(chunk);
      if (output.includes('\n')) break;
    }
    expect(output).toBe('ready 0\n');
    // A relay with nothing holding its event loop exits within milliseconds of `ready`; the pause
    // can only let a correct relay pass later, never fail it.
    await sleep(500);
    expect(relay.exitCode).toBeNull();
    relay.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });
});
