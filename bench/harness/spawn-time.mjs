// Wall time of whole commands, run in turns (A B C A B C ...) so a load change on a shared machine
// hits every command alike; the median is the figure, the fastest run a hint of a quiet machine.
import { spawnSync } from 'node:child_process';

/**
 * Runs each command `runs` times in turns; returns { median, min } seconds per command label.
 * A command that fails is an error: a bench must not time an error message.
 */
export function timeCommands(commands, { runs, cwd, env } = {}) {
  const times = new Map(commands.map((c) => [c.label, []]));
  for (let i = 0; i < runs; i++) {
    for (const { label, argv } of commands) {
      const started = process.hrtime.bigint();
      const child = spawnSync(argv[0], argv.slice(1), {
        cwd,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (child.status !== 0) throw new Error(`${label} exited ${child.status}: ${child.stderr}`);
      times.get(label).push(seconds);
    }
  }
  return Object.fromEntries(
    [...times].map(([label, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return [label, { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0] }];
    }),
  );
}
