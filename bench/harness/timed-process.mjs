// One command run to its end with what it cost: wall seconds, CPU seconds of its whole process tree
// (what this process reaps: see child-cpu.mjs) and its own peak RSS, sampled from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childCpuSeconds } from './child-cpu.mjs';

/** Peak RSS (VmHWM, KiB) of a running process; `last` once it has ended. */
function peakKiB(pid, last) {
  try {
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Math.max(last, Number(hwm?.[1] ?? 0));
  } catch {
    return last;
  }
}

const subreaper = fileURLToPath(new URL('./subreaper.py', import.meta.url));

/**
 * Runs `command args` with `input` on its stdin; resolves { code, wall, cpu, peakMiB, stdout, stderr }.
 * `reapDetached` runs it under subreaper.py so descendants that detach are counted too (the wall
 * is then the command's own, not the wait for those descendants; peak RSS is the subreaper's).
 */
export async function timedProcess(command, args, { cwd, env, input = '', reapDetached = false } = {}) {
  const argv = reapDetached ? ['/usr/bin/python3', [subreaper, command, ...args]] : [command, args];
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  const child = spawn(...argv, { cwd, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(input);
  let peak = 0;
  const poll = setInterval(() => (peak = peakKiB(child.pid, peak)), 50);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  clearInterval(poll);
  const ownWall = reapDetached && /^subreaper: command ended after ([\d.]+) s$/m.exec(stderr);
  const wall = ownWall ? Number(ownWall[1]) : (performance.now() - started) / 1000;
  return { code, wall, cpu: childCpuSeconds() - cpuBefore, peakMiB: peak / 1024, stdout, stderr };
}
