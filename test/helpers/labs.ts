/**
 * Loopback labs as file-level fixtures (see fixture.ts): each starts before the file's tests and is
 * closed, its folders removed, after them. The netns lab is in netns-lab.ts, the startup-config lab
 * in startup-lab.ts (they load what other tests need not).
 */
import { rm } from 'node:fs/promises';
import { startLoopbackLab, type Lab, type LabOptions } from '../../src/lab/loopback-lab.js';
import type { LabSpecInput } from '../../src/lab/spec.js';
import { startBackupLab, type BackupLab } from '../tasks/backup-helpers.js';
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

/** Closes a lab started in a temp folder of its own, then removes the folder. */
export async function closeLabAndFolder(t: { readonly lab: Lab; readonly dir: string }): Promise<void> {
  await t.lab.close();
  await rm(t.dir, { recursive: true, force: true });
}
