/** Ending the daemons a test spawned as its own children. */
import type { ChildProcess } from 'node:child_process';

/**
 * SIGTERM, up to `graceMs` for the child to exit, then SIGKILL; resolves once it has exited, so
 * nothing the test started outlives its teardown. The bound is a fallback for a hung daemon only.
 */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
