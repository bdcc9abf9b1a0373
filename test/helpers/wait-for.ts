/**
 * Waits for a condition the test cannot be told about by an event (a file, a log line, a port
 * taken by another process). The limit is generous on purpose: a loaded 2-core machine can take
 * seconds to start a process, and a test must fail on behaviour, not on a slow neighbour.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
