/** What `netops diff` does: a host between two revisions, or the network between two runs. */
import { NetopsError } from '../../core/errors.js';
import { hostDiff, openStore, renderDiff, runDiff, type StoreDiff } from '../../report/config-history.js';

export interface DiffFlags {
  readonly store: string;
  readonly run?: string[];
  readonly stat?: boolean;
  readonly json?: boolean;
}

export async function showDiff(
  host: string | undefined,
  revisions: readonly (string | undefined)[],
  flags: DiffFlags,
): Promise<void> {
  const revs = revisions.filter((r): r is string => r !== undefined);
  const runs = flags.run ?? [];
  if (runs.length > 2 || (runs.length > 0 && revs.length > 0) || (runs.length === 0 && host === undefined)) {
    throw new NetopsError('CONFIG_INVALID', usageProblem(runs.length, revs.length), {
      hint: 'Use `netops diff HOST [REV1] [REV2] --store DIR` or `netops diff [HOST] --run A [--run B] --store DIR`.',
    });
  }
  const store = await openStore(flags.store);
  let diff: StoreDiff;
  if (runs.length > 0) {
    const whole = await runDiff(store, runs);
    diff = host === undefined ? whole : { ...whole, host, files: whole.files.filter((f) => f.host === host) };
  } else {
    diff = await hostDiff(store, host!, revs);
  }
  process.stdout.write(
    flags.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff, flags.stat ?? false),
  );
}

function usageProblem(runs: number, revs: number): string {
  if (runs > 2) return `--run was given ${runs} times; it compares at most two runs`;
  if (runs > 0 && revs > 0) return '--run compares runs: give no revisions with it';
  return 'netops diff needs a HOST, or --run';
}
