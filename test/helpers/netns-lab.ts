/** The netns lab (root only) and the compiled sources its daemons run, as file-level fixtures (see fixture.ts). */
import { netnsLabDown } from '../../src/lab/netns/teardown.js';
import { netnsLabUp, type NetnsLabOptions } from '../../src/lab/netns/netns-lab.js';
import type { NetnsSpec } from '../../src/lab/netns/spec.js';
import type { NetnsState } from '../../src/lab/netns/state.js';
import { compileSources, type CompiledRuntime } from '../lab/netns/runtime.js';
import { useFixture } from './fixture.js';

/** The project's sources compiled to JavaScript, as the netns lab's daemons run them. */
export function useCompiledSources(): CompiledRuntime {
  return useFixture(compileSources, (runtime) => runtime.remove(), { timeoutMs: 60_000 });
}

/** A netns lab in `options.dir` (root only), brought down after the file's tests. */
export function useNetnsLab(
  spec: NetnsSpec,
  options: NetnsLabOptions,
  fixture: { readonly timeoutMs?: number } = {},
): NetnsState {
  return useFixture(
    () => netnsLabUp(spec, options),
    () => netnsLabDown(options.dir),
    fixture,
  );
}
