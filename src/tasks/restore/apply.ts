/**
 * Installing a restored config: the clear text goes to a private temporary file (0600 in a 0700
 * folder under the state dir, removed afterwards) that the platform's `startup-config` workflow
 * serves to the device (IOS `configure replace`, the Nexus erase/reload/merge), run as a sub-task
 * of this step; then the running-config is read back and every line of the target must be there.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { stateDir } from '../../core/state-dir.js';
import { prepareConfig } from '../../store/prepare.js';
import type { ConfigRules } from '../../store/rules.js';
import { withCliSession } from '../cli-session.js';
import { compareConfigs, type ConfigComparison } from '../startup-config/compare.js';
import type { StepOutcome, TaskContext } from '../task.js';
import { installParams } from './install-params.js';

/** Where the workflow's console logs and pre-change copies of a restore go (they hold clear text). */
export function restoreLogDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'restore-logs');
}

/** The device's running-config now, header and volatile lines dropped as the store drops them. */
export async function fetchRunning(ctx: TaskContext, rules: ConfigRules): Promise<string> {
  const text = await withCliSession(ctx, {}, async (session) => {
    const result = await session.send(session.platform.runningConfig, { signal: ctx.signal });
    return result.text;
  });
  const prepared = prepareConfig(text, rules, { sanitize: false, allowShrink: true });
  return prepared.ok ? prepared.content : text;
}

/** Runs the startup-config workflow with `clear` and checks the running-config afterwards. */
export async function installRestored(
  ctx: TaskContext,
  clear: string,
  rules: ConfigRules,
): Promise<{ install: StepOutcome; check: ConfigComparison }> {
  if (!ctx.run) {
    throw new NetopsError('INTERNAL', 'restore runs the startup-config task and needs the runner', {
      hint: 'Run restore through `netops restore` or a job step.',
    });
  }
  const logs = restoreLogDir();
  await mkdir(logs, { recursive: true, mode: 0o700 });
  const folder = await mkdtemp(path.join(logs, `${ctx.host.name}-`));
  const file = path.join(folder, `${ctx.host.name}.cfg`);
  try {
    await writeFile(file, clear, { mode: 0o600 });
    const install = await ctx.run('startup-config', { file, logs, ...installParams(ctx.host) });
    const running = await fetchRunning(ctx, rules);
    const check = compareConfigs(clear, running, rules);
    if (check.missing.length > 0) {
      throw new NetopsError(
        'WORKFLOW_FAILED',
        `${ctx.host.name}: the restored config was installed, but ${check.missing.length} of its lines are not in the running-config`,
        {
          hint: 'Compare `show running-config` with the revision by hand (`netops restore HOST --to REV --plan` shows the diff).',
          host: ctx.host.name,
          details: { missing: check.missing.length },
        },
      );
    }
    // The temporary file is gone when the restore ends: name what it held instead.
    const summary = install.summary?.replaceAll(file, `the config of the revision`);
    return { install: { ...install, ...(summary ? { summary } : {}) }, check };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
