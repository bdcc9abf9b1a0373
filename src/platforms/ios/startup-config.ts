/**
 * How IOS installs a startup-config (device-reference §2.5, §3): the device fetches the file into
 * startup-config with its own `copyFromTftp`, or swaps its running config for it with `configure
 * replace`, and what its answer to the replace says happened.
 */
import type { ReplaceOutcome, StartupConfigWorkflow } from '../startup-config.js';
import { tftpUrl } from '../spec.js';

/**
 * What IOS said after `configure replace URL force revert trigger error`. The revert trigger makes
 * a refused line restore the previous running-config ("Reverting back to the original
 * configuration"); without it IOS stops after its passes with the other lines applied ("Rollback
 * aborted after 5 passes"); a file it cannot read or that is not a complete config is refused before
 * anything changes. Sources: Cisco's configuration replace guide and public transcripts.
 */
function replaceOutcome(output: string, errors: readonly string[]): ReplaceOutcome {
  if (
    /Reverting back to the original configuration|original configuration has been successfully restored/i.test(
      output,
    )
  )
    return 'reverted';
  if (/Rollback aborted after \d+ passes/i.test(output)) return 'partial';
  if (/Rollback Done/i.test(output) && errors.length === 0) return 'replaced';
  // An error before any pass ran (%Error opening ..., not a valid config file, % Invalid input).
  if (errors.length > 0 && !/Total number of passes/i.test(output)) return 'refused';
  return 'unknown';
}

export const iosStartupConfig = {
  kind: 'install-in-place',
  replace: {
    // `force`: no confirmation question; `revert trigger error`: a refused line puts the old config back
    // instead of leaving half of the file applied.
    command: (from) => `configure replace ${tftpUrl(from)} force revert trigger error`,
    outcome: replaceOutcome,
    passes: (output) => {
      const passes = /Total number of passes: (\d+)/.exec(output)?.[1];
      return passes === undefined ? undefined : Number(passes);
    },
    // IOS refuses to replace with a partial config.
    lastLine: 'end',
  },
} as const satisfies StartupConfigWorkflow;
