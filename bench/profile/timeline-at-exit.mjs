// Preloaded into a netops process (`node --import`): a timeline of its CPU, every 100 ms, written at
// exit to NETOPS_PROFILE_TIMELINE_FILE as JSON. Each sample: milliseconds since this preload ran,
// TCP connections started so far (one per SSH session: what places a sample among the hosts), the
// CPU of the main thread and of every other thread (V8's helpers: TurboFan's compiles, the GC's
// parallel and concurrent work; libuv's pool), from /proc/self/task, and the GCs so far (scavenges and
// the major ones, with their pauses). `warmUpWindows()` turns a timeline into CPU per session by
// stretch of the run: the first hundreds of hosts against the later ones.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { PerformanceObserver, constants } from 'node:perf_hooks';

const file = process.env.NETOPS_PROFILE_TIMELINE_FILE;
if (file) record(file);

function record(file) {
  let connects = 0;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function countedConnect(...args) {
    connects++;
    return connect.apply(this, args);
  };
  const gc = { scavenges: 0, scavengeMs: 0, majors: 0, majorMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const minor = entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
      gc[minor ? 'scavenges' : 'majors']++;
      gc[minor ? 'scavengeMs' : 'majorMs'] += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const samples = [];
  const started = performance.now();
  const sample = () =>
    samples.push({ t: Math.round(performance.now() - started), connects, ...threadCpuMs(), ...gc });
  setInterval(sample, 100).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(file, JSON.stringify(samples));
  });
}

/** CPU (user + system) of the main thread and of all other threads, in ms (clock ticks of 10 ms). */
function threadCpuMs() {
  const cpu = { mainMs: 0, otherMs: 0 };
  for (const tid of readdirSync('/proc/self/task')) {
    let stat;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * 10;
    cpu[tid === String(process.pid) ? 'mainMs' : 'otherMs'] += ms;
  }
  return cpu;
}

/**
 * CPU per session between connection counts: before the first connection (start-up), then stretches
 * of sessions (`edges`: connection counts), then after the last one (the run's end: commit, record).
 * With P sessions at a time, the stretch from A to B connections is the CPU while sessions A+1..B
 * started and A+1-P..B-P ended.
 */
export function warmUpWindows(samples, edges) {
  const at = (n) => samples.find((s) => s.connects >= n) ?? samples.at(-1);
  const cpu = (s) => s.mainMs + s.otherMs;
  const first = at(1);
  const last = samples.at(-1);
  const windows = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const [a, b] = [at(edges[i]), at(edges[i + 1])];
    const sessions = b.connects - a.connects;
    if (sessions <= 0) continue;
    windows.push({
      from: edges[i],
      to: edges[i + 1],
      ms: (cpu(b) - cpu(a)) / sessions,
      mainMs: (b.mainMs - a.mainMs) / sessions,
      otherMs: (b.otherMs - a.otherMs) / sessions,
      scavenges: ((b.scavenges - a.scavenges) * 100) / sessions,
    });
  }
  return { startMs: cpu(first), endMs: cpu(last) - cpu(at(edges.at(-1))), totalMs: cpu(last), windows };
}
