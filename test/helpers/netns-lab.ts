/** The netns lab (root only) and the compiled sources its daemons run, as file-level fixtures (see fixture.ts). */
import { netnsLabDown } from '../../src/lab/netns/teardown.js';
import { netnsLabUp } from '../../src/lab/netns/netns-lab.js';
import { parseNetnsSpec, type NetnsSpecInput } from '../../src/lab/netns/spec.js';
import type { NetnsState } from '../../src/lab/netns/state.js';
import { compileSources, type CompiledRuntime } from '../lab/netns/runtime.js';
import { useFixture, useTempDir } from './fixture.js';

/** The project's sources compiled to JavaScript, as the netns lab's daemons run them. */
export function useCompiledSources(): CompiledRuntime {
  // tsc over the sources takes seconds alone and over a minute on a loaded 2-core machine (seen at load 20).
  return useFixture(compileSources, (runtime) => runtime.remove(), { timeoutMs: 180_000 });
}

export interface NetnsLabFixture {
  /** The lab folder (state file, configs, keys, logs), a temp folder of this test file. */
  readonly dir: string;
  readonly runtime: CompiledRuntime;
  readonly state: NetnsState;
}

/**
 * A netns lab of `spec` in a temp folder named after `prefix`, run by freshly compiled sources;
 * brought down, compiled sources and folder removed, after the file's tests.
 */
export function useNetnsLab(spec: NetnsSpecInput, prefix: string, timeoutMs = 90_000): NetnsLabFixture {
  const dir = useTempDir(prefix);
  const runtime = useCompiledSources();
  const state = useFixture(
    () => netnsLabUp(parseNetnsSpec(spec), { dir, runtime }),
    () => netnsLabDown(dir),
    { timeoutMs },
  );
  return { dir, runtime, state };
}
