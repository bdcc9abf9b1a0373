/**
 * The labs the tests run against, as file-level fixtures (see fixture.ts): each starts before the
 * file's tests and is closed, its folders removed, after them.
 */
import { rm } from 'node:fs/promises';
import { netnsLabDown } from '../../src/lab/netns/teardown.js';
import { netnsLabUp, type NetnsLabOptions } from '../../src/lab/netns/netns-lab.js';
import type { NetnsSpec } from '../../src/lab/netns/spec.js';
import type { NetnsState } from '../../src/lab/netns/state.js';
import { startLoopbackLab, type Lab, type LabOptions } from '../../src/lab/loopback-lab.js';
import type { LabSpecInput } from '../../src/lab/spec.js';
import { compileSources, type CompiledRuntime } from '../lab/netns/runtime.js';
import { startBackupLab, type BackupLab } from '../tasks/backup-helpers.js';
import { startStartupLab, type StartupLab } from '../tasks/startup-config-lab.js';
import { useFixture, useStarted } from './fixture.js';

/** A spec known when the file loads, or one read when the tests start (e.g. another fixture's port). */
export type Later<T> = T | (() => T);

const now = <T>(value: Later<T>): T => (typeof value === 'function' ? (value as () => T)() : value);

/** A loopback lab in this process. */
export function useLoopbackLab(spec: Later<LabSpecInput>, options: Later<LabOptions> = {}): Lab {
  return useStarted(() => startLoopbackLab(now(spec), now(options)));
}

/** A loopback lab with its inventory and backup jobs in a temp folder (tasks/backup-helpers.ts). */
export function useBackupLab(spec: LabSpecInput): BackupLab {
  return useFixture(() => startBackupLab(spec), closeLabAndFolder);
}

/** A loopback lab with startup-config jobs run through the runner (tasks/startup-config-lab.ts). */
export function useStartupLab(spec: LabSpecInput): StartupLab {
  return useFixture(() => startStartupLab(spec), closeLabAndFolder);
}

async function closeLabAndFolder(t: { readonly lab: Lab; readonly dir: string }): Promise<void> {
  await t.lab.close();
  await rm(t.dir, { recursive: true, force: true });
}

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
