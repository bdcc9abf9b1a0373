/**
 * A lazy load run on the first call only; later calls get the same promise. For `import()` on a
 * per-host path: an `import()` of a module already loaded still resolves it again, some 20 us of
 * CPU per call, where the kept promise costs under 2.
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}
