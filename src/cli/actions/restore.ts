/**
 * What `netops restore HOST --to REV` does: everything that can be refused is refused before any
 * device is contacted (the job, the host, the revision, the vault entry, which is decrypted once to
 * prove it can be), then one `restore` step runs on the host through the runner (run lock, store
 * lock, run record), and the masked diff and the outcome are printed.
 */
import type { Job } from '../../config/job.js';
import type { Host } from '../../config/model.js';
import { displayPath } from '../../config/yaml-source.js';
import { NetopsError } from '../../core/errors.js';
import { acquireRunLock } from '../../runner/lock.js';
import { writeRunRecord, type RunRecord } from '../../runner/run-record.js';
import { runJob } from '../../runner/runner.js';
import { StoreHistory } from '../../store/store-history.js';
import { Vault } from '../../store/vault.js';
import { vaultLocation } from '../../store/vault-settings.js';
import { tasks } from '../../tasks/registry.js';
import { openJobStore, storeDir, storeResourceKey } from '../../tasks/resources/job-store.js';
import { restoreSettings } from '../../tasks/resources/job-vault.js';
import { clearConfig, findTarget, type RestoreTarget } from '../../tasks/restore/target.js';
import type { StoreSettings } from '../../store/settings.js';
import { formatError } from '../exit.js';
import { loadHosts, loadJobFile } from '../load.js';
import { checkSteps } from '../preflight.js';

export interface RestoreFlags {
  readonly job: string;
  readonly to: string;
  readonly plan?: boolean;
  readonly yes?: boolean;
  readonly trustNewHosts?: boolean;
  readonly json?: boolean;
}

/** An NX-OS rebuild reloads the device: the backup job's step limit is far too short for it. */
const RESTORE_STEP_MS = 3_600_000;

export async function restoreCommand(name: string, flags: RestoreFlags): Promise<number> {
  const loaded = await loadJobFile(flags.job);
  const host = await oneHost(loaded, name, flags.trustNewHosts ?? false);
  const apply = Boolean(flags.yes) && !flags.plan;
  // Resolved once, among the backup job's runs: a restore's own runs never move its `last`, and the
  // task installs exactly the commit checked here.
  const target = await checkRestorable(loaded, host.name, flags.to);
  const job: Job = {
    ...loaded,
    // Its own runs: `netops status` and `--retry-failed` of the backup job do not mistake a restore for a backup.
    name: `${loaded.name}-restore`,
    limit: [host.name],
    concurrency: 1,
    retries: 0,
    stepTimeoutMs: Math.max(loaded.stepTimeoutMs, RESTORE_STEP_MS),
    steps: [
      {
        name: 'restore',
        task: 'restore',
        params: { to: target.commit, apply },
        timeoutMs: undefined,
        retries: 0,
      },
    ],
  };
  // Its step is not in the file: the job's `restore:` section stands for it.
  checkSteps(job, [host], tasks, { stepPath: () => ['restore'] });
  const record = await runRestore(job, host, apply, loaded.name);
  if (flags.json) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  else printOutcome(record);
  const step = record.hosts[0]?.steps[0];
  if (step?.status === 'ok' && !apply && !flags.plan && step.data?.['missing'] !== undefined) {
    const wouldChange = Number(step.data['missing']) + Number(step.data['extra']) > 0;
    if (wouldChange) {
      process.stderr.write(
        `${formatError(
          new NetopsError(
            'CONFIRM_REQUIRED',
            `${host.name}: not restored: installing a config is destructive`,
            {
              hint: 'Review the diff above, then run again with --yes.',
            },
          ),
        )}\n`,
      );
      return 2;
    }
  }
  return record.exitCode;
}

async function oneHost(job: Job, name: string, trustNew: boolean): Promise<Host> {
  const { hosts } = await loadHosts(job.inventoryFiles, [name], (text) => process.stderr.write(`${text}\n`));
  const host = hosts.find((h) => h.name === name);
  if (!host) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `no host named ${name} in the inventory of ${displayPath(job.file)}`,
      {
        hint: 'Name one inventory host exactly (no patterns): a restore changes one device.',
      },
    );
  }
  return trustNew || job.trustNewHostKeys ? { ...host, ssh: { ...host.ssh, trustNewHostKey: true } } : host;
}

/** The store has the revision and the vault its clear text, which decrypts: checked before any contact. */
async function checkRestorable(job: Job, host: string, to: string): Promise<RestoreTarget> {
  const settings = job.settings['store'] as StoreSettings | undefined;
  if (!settings) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `job ${job.name} has no store: there is nothing to restore from`,
      {
        hint: 'Name the backup job whose `store:` holds the host (--job).',
      },
    );
  }
  const dir = storeDir(job.dir, settings);
  const target = await findTarget(await StoreHistory.open(dir), host, to, job.name);
  const restore = restoreSettings(job.settings);
  const vault = restore
    ? await Vault.open(vaultLocation(job.dir, dir, restore), dir, { write: false })
    : undefined;
  await clearConfig(vault, host, target);
  return target;
}

async function runRestore(job: Job, host: Host, apply: boolean, backupJob: string): Promise<RunRecord> {
  // The backup job's own lock: a restore and that job's run never work on the host at once.
  const lock = await acquireRunLock({ job: backupJob, jobFile: job.file });
  try {
    const settings = job.settings['store'] as StoreSettings;
    const store = await openJobStore(job, settings, (m) => process.stderr.write(`netops: ${m}\n`));
    try {
      if (apply) process.stderr.write(`netops: restoring ${host.name} (a reload can take minutes)\n`);
      const record = await runJob({
        job,
        hosts: [host],
        tasks,
        concurrency: 1,
        confirmed: apply,
        // Opened once: the restore's backup before and after commits to this store.
        opened: new Map([[storeResourceKey(storeDir(job.dir, settings)), store]]),
      });
      const file = await writeRunRecord(job.recordsDir, record);
      process.stderr.write(`netops: record ${displayPath(file)}\n`);
      return record;
    } finally {
      await store.release();
    }
  } finally {
    await lock.release();
  }
}

function printOutcome(record: RunRecord): void {
  const result = record.hosts[0];
  const step = result?.steps[0];
  if (!result || !step) return;
  const diff = step.data?.['diff'];
  if (typeof diff === 'string' && diff.includes('@@')) process.stdout.write(`${diff.trimEnd()}\n`);
  for (const warning of step.warnings ?? []) process.stdout.write(`warning: ${warning}\n`);
  if (step.error) {
    process.stderr.write(`netops: ${step.error.code}: ${step.error.message}\n  hint: ${step.error.hint}\n`);
  } else process.stdout.write(`${result.host}  ${step.status}  restore: ${step.summary ?? ''}\n`);
  for (const error of record.errors) process.stderr.write(`netops: ${error.code}: ${error.message}\n`);
}
