/** stopChild ends what a test spawned even when it does not end on SIGTERM, and only then kills it. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, it, onTestFinished } from 'vitest';
import { stopChild } from './child-process.js';

/** A node child that answers SIGTERM with `onTerm` and says when its handler is in place. */
async function child(onTerm: string) {
  const script = `process.on('SIGTERM', () => { ${onTerm} }); console.log('ready'); setInterval(() => undefined, 1000);`;
  const spawned = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  // Only if stopChild failed: kill() is a no-op on a child that has exited.
  onTestFinished(() => void spawned.kill('SIGKILL'));
  await once(spawned.stdout, 'data');
  return spawned;
}

it('lets a child that ends on SIGTERM exit by itself', async () => {
  const spawned = await child('setTimeout(() => process.exit(3), 200);');
  await stopChild(spawned, 60_000);
  expect([spawned.exitCode, spawned.signalCode]).toEqual([3, null]);
});

it('kills a child that ignores SIGTERM once the grace period is over', async () => {
  const spawned = await child('');
  await stopChild(spawned, 200);
  expect([spawned.exitCode, spawned.signalCode]).toEqual([null, 'SIGKILL']);
}, 30_000);
