/** What `netops grep PATTERN` does: matching lines of the current stored configs, per host. */
import { grepConfigs, renderGrep } from '../../report/config-grep.js';
import { openStore } from '../../report/config-history.js';

export interface GrepFlags {
  readonly store: string;
  readonly limit?: string;
  readonly ignoreCase?: boolean;
  readonly fixedStrings?: boolean;
  readonly json?: boolean;
}

export async function grepStore(pattern: string, flags: GrepFlags): Promise<void> {
  const store = await openStore(flags.store);
  const result = await grepConfigs(store, pattern, {
    ...(flags.limit === undefined ? {} : { limit: flags.limit }),
    ...(flags.ignoreCase ? { ignoreCase: true } : {}),
    ...(flags.fixedStrings ? { fixed: true } : {}),
  });
  process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderGrep(result));
  // As grep: exit 1 when no line matched, so scripts can test for a line.
  if (result.hosts.length === 0) process.exitCode = 1;
}
