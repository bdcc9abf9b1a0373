// Wall and CPU time of whole commands, run in turns (A B C A B C ...) so a load change on a shared
// machine hits every command alike. The median wall is the figure the goals name; CPU (user + sys,
// from GNU time when installed) is the one a loaded machine disturbs least; the fastest run hints at
// a quiet machine.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const gnuTime = '/usr/bin/time';

function once(argv, { cwd, env }) {
  const withCpu = existsSync(gnuTime);
  const full = withCpu ? [gnuTime, '-f', 'cpu %U %S', ...argv] : argv;
  const started = process.hrtime.bigint();
  const child = spawnSync(full[0], full.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`${argv.join(' ')} exited ${child.status}: ${child.stderr}`);
  const cpu = /^cpu ([\d.]+) ([\d.]+)$/m.exec(child.stderr);
  return { wall, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Runs each command `runs` times in turns; returns per label { median, min } wall seconds and `cpu`,
 * the median CPU seconds (undefined without GNU time). A failing command is an error: a bench must
 * not time an error message.
 */
export function timeCommands(commands, { runs, cwd, env } = {}) {
  const samples = new Map(commands.map((c) => [c.label, []]));
  for (let i = 0; i < runs; i++) {
    for (const { label, argv } of commands) samples.get(label).push(once(argv, { cwd, env }));
  }
  return Object.fromEntries(
    [...samples].map(([label, values]) => {
      const walls = values.map((v) => v.wall);
      const cpus = values.map((v) => v.cpu).filter((c) => c !== undefined);
      return [
        label,
        { median: median(walls), min: Math.min(...walls), cpu: cpus.length ? median(cpus) : undefined },
      ];
    }),
  );
}
