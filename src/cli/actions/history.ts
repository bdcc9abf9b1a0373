/** What `netops history HOST` does: the changes of a host's stored config, with their runs. */
import { hostHistory, openStore, renderHistory } from '../../report/config-history.js';
import { parseSince } from '../../report/report.js';

export interface HistoryFlags {
  readonly store: string;
  readonly since?: string;
  readonly maxCount?: number;
  readonly json?: boolean;
}

export async function showHistory(host: string, flags: HistoryFlags): Promise<void> {
  const store = await openStore(flags.store);
  const history = await hostHistory(store, host, {
    ...(flags.since ? { since: parseSince(flags.since) } : {}),
    ...(flags.maxCount ? { maxCount: flags.maxCount } : {}),
  });
  process.stdout.write(flags.json ? `${JSON.stringify(history, null, 2)}\n` : renderHistory(history));
}
