// The bench harness: `npm run bench -- NAME [--devices N --parallel P --latency MS --config-bytes B]
// [--method M --rounds R --workers W --lab L --threads T --runs N --cores C] [--smoke]` runs one bench, prints its table (each figure beside a baseline
// measured in the same run, the ratio, the goal) and writes bench/results/NAME-DATE.json.
// `--smoke` runs the bench's seconds-long size (what the test suite runs), written nowhere unless
// --out is given.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { benches } from './benches.mjs';
import { machine, versions, writeResult } from './harness/results.mjs';
import { speedProbe } from './harness/speed-probe.mjs';
import { textTable } from './harness/table.mjs';

const flags = {
  devices: 'devices',
  parallel: 'parallel',
  latency: 'latencyMs',
  'config-bytes': 'configBytes',
  method: 'method',
  rounds: 'rounds',
  workers: 'workers',
  lab: 'lab',
  threads: 'threads',
  runs: 'runs',
  cores: 'cores',
};

/** Runs bench `name` with `overrides` on its defaults (or its smoke size); returns the result kept. */
export async function runBench(name, overrides = {}, { smoke = false, out, print = console.log } = {}) {
  const load = benches[name];
  if (!load) throw new Error(`no bench "${name}"; known: ${Object.keys(benches).join(', ')}`);
  const bench = await load();
  const params = { ...bench.about.defaults, ...(smoke ? bench.about.smoke : {}), ...overrides };
  const started = new Date();
  const atStart = machine();
  const probeAtStart = speedProbe();
  // A bench may say what its parameters came to (`--lab auto`: which lab).
  const { rows, notes = [], parameters = params } = await bench.run(params);
  const result = {
    name,
    title: bench.about.title,
    date: started.toISOString(),
    smoke,
    // The load while the bench ran, at its start and its end: other work on the machine shows here.
    machine: {
      ...atStart,
      loadAverageAtEnd: machine().loadAverage,
      speedProbeMs: { start: probeAtStart, end: speedProbe() },
    },
    versions: versions(),
    parameters,
    baseline: bench.about.baseline,
    seconds: Math.round((Date.now() - started.getTime()) / 100) / 10,
    rows,
    notes,
  };
  print(`${bench.about.title}\nparameters: ${JSON.stringify(parameters)}\n\n${textTable(rows)}`);
  for (const note of notes) print(`note: ${note}`);
  if (!smoke || out) {
    const file = writeResult(result, out);
    print(`\nwrote ${path.relative(process.cwd(), file)}`);
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      ...Object.fromEntries(Object.keys(flags).map((f) => [f, { type: 'string' }])),
      smoke: { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  const [name] = positionals;
  if (!name || !benches[name]) {
    console.error(
      `usage: npm run bench -- NAME [--devices N --parallel P --latency MS --config-bytes B --method M --rounds R --workers W --lab L --threads T] [--smoke]\nbenches: ${Object.keys(benches).join(', ')}`,
    );
    process.exit(2);
  }
  const overrides = Object.fromEntries(
    Object.entries(flags)
      .filter(([flag]) => values[flag] !== undefined)
      // Numbers stay numbers; a word (`--method show`) stays a word.
      .map(([flag, key]) => [key, Number.isNaN(Number(values[flag])) ? values[flag] : Number(values[flag])]),
  );
  await runBench(name, overrides, {
    smoke: values.smoke ?? false,
    ...(values.out ? { out: values.out } : {}),
  });
}
