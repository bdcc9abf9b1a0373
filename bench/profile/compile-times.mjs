// TurboFan's compiles in a run, from V8's `--trace-opt` lines ("completed compiling F ... took A, B, C ms":
// preparing on the main thread, the compile itself on a helper thread, finishing on the main thread),
// summed per function name and ranked: which functions' optimizing compiles cost a run the most.
// The milliseconds are the compile jobs' wall time, so a loaded machine inflates them; compare builds
// over several alternating runs, or one function's compile alone (bench/profile/README.md, session 11 J).
//   flock /tmp/netops-bench.lock node bench/profile/backup.mjs --devices 1000 --parallel 100 \
//     --node-flags=--trace-opt --out /tmp/prof
//   node bench/profile/compile-times.mjs [--top 30] /tmp/prof/first.stdout /tmp/prof/unchanged.stdout
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' } },
});
const completed =
  /^\[completed compiling 0x[0-9a-f]+ <JSFunction (\S*) \(sfi = 0x[0-9a-f]+\)> \(target TURBOFAN\) - took ([\d.]+), ([\d.]+), ([\d.]+) ms\]$/;

for (const file of positionals) {
  const byName = new Map();
  let total = 0;
  let count = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = completed.exec(line);
    if (!match) continue;
    const ms = Number(match[2]) + Number(match[3]) + Number(match[4]);
    const name = match[1] || '(anonymous)';
    const entry = byName.get(name) ?? { ms: 0, compiles: 0 };
    entry.ms += ms;
    entry.compiles++;
    byName.set(name, entry);
    total += ms;
    count++;
  }
  console.log(`${file}: ${count} TurboFan compiles, ${total.toFixed(0)} ms (sum of their times)`);
  const ranked = [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(values.top));
  for (const [name, { ms, compiles }] of ranked) {
    console.log(`${ms.toFixed(1).padStart(8)} ms ${String(compiles).padStart(3)}x  ${name}`);
  }
}
