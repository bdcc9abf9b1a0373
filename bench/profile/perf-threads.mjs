// What a netops process's threads spent their CPU on, from a `perf record -g` of it (one data file
// per run: `backup.mjs --wrap "perf record -F 997 -g -o /tmp/LABEL.data --"`): the main thread and
// the others apart (V8's four platform workers: TurboFan's concurrent compiles, the scavenger's
// parallel tasks, concurrent marking and sweeping; libuv's pool: async fs calls), each sample
// classed by the first known frame of its stack. Node's own binary has its symbols, so the C++
// frames name what V8 was doing; JavaScript frames show as [unknown] (main thread only).
//   node bench/profile/perf-threads.mjs [--devices 1000] [--cpu-ms MS] [--time SPEC] /tmp/first.data
// --cpu-ms: the run's CPU (getrusage, backup.mjs prints it) to turn shares into ms per device.
// --time: a stretch of the recording, as perf script takes it (`50%/2`: the second half).
// Child processes (git) in the same recording are left out: their CPU is not the process's.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    devices: { type: 'string', default: '1000' },
    'cpu-ms': { type: 'string' },
    time: { type: 'string' },
  },
});

/** First match wins, tested against the whole stack (innermost frame first). */
const kinds = [
  ['TurboFan compile', /compiler::|OptimizedCompilationJob|TurbofanCompilationJob/],
  ['scavenge', /Scaveng/],
  ['concurrent marking', /ConcurrentMarking|MarkingVisitor|MarkingWorklist/],
  ['mark-compact (evacuate, update pointers)', /Evacuat|PointersUpdating|MarkCompactCollector/],
  ['sweeping', /Sweeper|SweepingJob/],
  ['parse / bytecode compile', /BackgroundCompileTask|Parser::|BytecodeGenerator|CodeSerializer|Deserializ/],
  ['lock wait / wake', /futex|lll_lock|condvar/],
  ['file system (kernel)', /ext4|jbd2|blk_|fsync|iowrite|vfs_(write|read|fsync|open)/],
];

/** perf script's samples: [pid, tid, frames]. */
function samples(file) {
  const stretch = values.time ? ['--time', values.time] : [];
  const text = execFileSync('perf', ['script', '-i', file, ...stretch, '-F', 'pid,tid,ip,sym'], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const list = [];
  for (const block of text.split('\n\n')) {
    const [head, ...frames] = block.split('\n').filter((line) => line.trim() !== '');
    const ids = /^\s*(\d+)\/(\d+)/.exec(head ?? '');
    if (ids) list.push([Number(ids[1]), Number(ids[2]), frames.map((f) => f.trim().replace(/^\S+\s/, ''))]);
  }
  return list;
}

function classify(frames) {
  const stack = frames.join(' < ');
  return kinds.find(([, pattern]) => pattern.test(stack))?.[0] ?? `other: ${frames[0] ?? '?'}`.slice(0, 70);
}

for (const file of positionals) {
  const all = samples(file);
  // The netops process: the pid with the most samples (git children have their own pids).
  const perPid = new Map();
  for (const [pid] of all) perPid.set(pid, (perPid.get(pid) ?? 0) + 1);
  const pid = [...perPid].sort((a, b) => b[1] - a[1])[0][0];
  const own = all.filter(([p]) => p === pid);
  // V8's platform workers run V8's code; libuv's pool threads run file system calls (and never V8's).
  const v8Threads = new Set(
    own.filter(([, , frames]) => frames.some((f) => /v8::/.test(f))).map(([, tid]) => tid),
  );
  const threads = { main: new Map(), 'V8 workers': new Map(), 'libuv pool': new Map() };
  for (const [, tid, frames] of own) {
    const group = tid === pid ? 'main' : v8Threads.has(tid) ? 'V8 workers' : 'libuv pool';
    const kind = classify(frames);
    threads[group].set(kind, (threads[group].get(kind) ?? 0) + 1);
  }
  const msPerSample = values['cpu-ms']
    ? Number(values['cpu-ms']) / own.length / Number(values.devices)
    : undefined;
  const figure = (n) =>
    `${((100 * n) / own.length).toFixed(1).padStart(5)} %${msPerSample ? ` ${(n * msPerSample).toFixed(2).padStart(6)} ms/device` : ''}`;
  console.log(
    `${file}: ${own.length} samples of pid ${pid} (${all.length - own.length} of other processes left out)`,
  );
  for (const [name, map] of Object.entries(threads)) {
    const total = [...map.values()].reduce((a, b) => a + b, 0);
    console.log(`${name}: ${figure(total)}`);
    const top = [...map].sort((a, b) => b[1] - a[1]).slice(0, 8);
    for (const [kind, n] of top) console.log(`  ${figure(n)}  ${kind}`);
  }
}
