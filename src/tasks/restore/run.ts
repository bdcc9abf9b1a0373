/** The `restore` task's run (loaded with its first run, so plans stay light): see tasks/restore.ts. */
import { NetopsError } from '../../core/errors.js';
import { platformNamed } from '../../platforms/registry.js';
import { StoreHistory } from '../../store/store-history.js';
import type { ConfigRules } from '../../store/rules.js';
import { configPath } from '../../store/paths.js';
import { storeDir, storeSettings } from '../resources/job-store.js';
import { jobPlaceholder } from '../resources/job-placeholders.js';
import { jobVault } from '../resources/job-vault.js';
import { compareConfigs, configsMatch, maskedDiff } from '../startup-config/compare.js';
import type { StepOutcome, TaskContext } from '../task.js';
import { fetchRunning, installRestored } from './apply.js';
import type { RestoreParams } from './params.js';
import { clearConfig, findTarget, type RestoreTarget } from './target.js';

function rulesOf(ctx: TaskContext): ConfigRules {
  const rules = platformNamed(ctx.host.platform, ctx.host.name).configRules;
  if (rules) return rules;
  throw new NetopsError(
    'CONFIG_INVALID',
    `platform ${ctx.host.platform} has no config rules: it is not backed up`,
    {
      hint: 'Only platforms the backup task stores can be restored.',
      host: ctx.host.name,
    },
  );
}

export async function run(ctx: TaskContext, p: RestoreParams): Promise<StepOutcome> {
  const rules = rulesOf(ctx);
  // Read without the job's store resource: a preview changes nothing, so it must not commit or tag a run.
  const store = await StoreHistory.open(storeDir(ctx.job.dir, storeSettings(ctx)));
  const target = await findTarget(store, ctx.host.name, p.to, ctx.job.name);
  const clear = await clearConfig(await jobVault(ctx, { write: false }), ctx.host.name, target);
  const running = await fetchRunning(ctx, rules);
  // The store's own placeholders: a secret the restore changes shows as a changed line, never its value.
  const placeholder = await jobPlaceholder(ctx, storeSettings(ctx));
  const diff = maskedDiff(
    { label: `${ctx.host.name} running-config (now)`, text: running },
    { label: `${configPath(ctx.host.name)} at ${target.commit.slice(0, 12)} (${target.date})`, text: clear },
    rules,
    placeholder,
  );
  const before = compareConfigs(clear, running, rules);
  const recorded = {
    ...revisionData(target),
    diff,
    missing: before.missing.length,
    extra: before.extra.length,
  };
  const at = `${target.commit.slice(0, 12)} (${target.date})`;
  if (configsMatch(before)) {
    return {
      status: 'ok',
      summary: `already running the config of ${at}; nothing to do`,
      data: { ...recorded, applied: false },
    };
  }
  const counts = `${before.missing.length} line(s) to add, ${before.extra.length} to remove`;
  if (!p.apply) {
    return {
      status: 'ok',
      summary: `would restore the config of ${at}: ${counts}`,
      data: { ...recorded, applied: false },
    };
  }
  const { install } = await installRestored(ctx, clear, rules);
  return {
    status: 'changed',
    summary: `restored the config of ${at} (${counts}): ${install.summary ?? 'installed'}; running-config checked`,
    data: { ...recorded, applied: true, install: install.data },
  };
}

function revisionData(target: RestoreTarget): Record<string, unknown> {
  return { commit: target.commit, date: target.date, runId: target.runId, blob: target.blob };
}
