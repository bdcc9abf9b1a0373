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

/**
 * Node parses every certificate of NODE_EXTRA_CA_CERTS before running any script (this machine sets a
 * system bundle: 0.06 s, most of node's own start-up). Start-up goals are judged as the issue measured
 * them (bare node at 0.10 s), without the bundle, and the machine's own environment is shown beside
 * them: when it is set, each command is timed again without it, as LABEL + 'NoCa'. Returns the
 * commands to time, the label a goal row reads (`judged`) and the words that say so (`judgedAs`).
 */
export function withAndWithoutExtraCa(commands) {
  const extraCa = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  const withoutCa = ({ label, argv }) => ({
    label: `${label}NoCa`,
    argv: ['/usr/bin/env', '-u', 'NODE_EXTRA_CA_CERTS', ...argv],
  });
  return {
    extraCa,
    commands: extraCa ? [...commands, ...commands.map(withoutCa)] : commands,
    judged: (label) => (extraCa ? `${label}NoCa` : label),
    judgedAs: extraCa ? ', without NODE_EXTRA_CA_CERTS' : '',
    /** The node baseline timed alike: without the bundle for a NoCa label. */
    nodeBeside: (label) => (label.endsWith('NoCa') ? 'nodeNoCa' : 'node'),
    note: extraCa
      ? `NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): node parses it before any script runs, ` +
        'so the goal rows run without it, as bare node ran when the issue was measured (0.10 s)'
      : undefined,
  };
}
