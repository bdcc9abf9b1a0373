// The record `netops run --json` prints, out of a run's stdout that may also hold V8's traces
// (`--trace-opt`, `--trace-gc-nvp`): before it, and after it (deopts and GCs at exit).
export function runRecord(stdout) {
  const start = stdout.lastIndexOf('\n{\n') + 1;
  const end = stdout.indexOf('\n}\n', start);
  return JSON.parse(end < 0 ? stdout.slice(start) : stdout.slice(start, end + 2));
}
