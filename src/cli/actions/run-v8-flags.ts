/**
 * V8 options of a run that contacts devices, set once the run's modules are loaded: `--version`,
 * `--help` and `--plan` never pay for them. Measured on whole 1,000-device backups
 * (bench/backup/ab-runs.mjs): bench/profile/README.md, session 9.
 */
import v8 from 'node:v8';
import { threadCount } from '../../runner/thread-plan.js';

/**
 * `--always-sparkplug` for a run on one thread: a function compiles to V8's baseline machine code at
 * its first call instead of running in the interpreter until V8 finds it warm. 11 of 14 alternating
 * rounds cheaper, by a median 0.74 ms per device (first run) and 0.35 (unchanged). Not with worker
 * threads: any option off V8's defaults makes Node compile its own modules without their code cache,
 * and each worker thread loads them again at its start (about 0.1 s of CPU more per thread).
 */
export function applyRunV8Flags(threads: number | 'auto', hosts: number): void {
  if (threadCount(threads, hosts) === 1) v8.setFlagsFromString('--always-sparkplug');
}
