// The bench's own garbage collected before a measurement, and the collection over when it starts.
// `gc()` returns once marking is done; V8 then sweeps the heap on its helper threads (about 50 ms of
// two threads after a full collection of a 450 MB heap). Measured straight after, that sweeping
// shares the cores with what is measured and is charged to it: at 10,000 hosts it doubled the
// store's open.

const WINDOW_MS = 10;
/** A window in which the process (every thread) used less CPU than this is quiet. */
const QUIET_MS = 1;
/** A process that never quiets (a lab in it still serving) is measured after this long anyway. */
const MOST_MS = 1000;

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Collects garbage (when node runs with --expose-gc) and resolves once the process is quiet again. */
export async function collectGarbage() {
  if (!globalThis.gc) return;
  globalThis.gc();
  const until = performance.now() + MOST_MS;
  let before = cpuMs();
  while (performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const now = cpuMs();
    if (now - before < QUIET_MS) return;
    before = now;
  }
}
