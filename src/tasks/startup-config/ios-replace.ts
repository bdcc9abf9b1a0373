/**
 * What IOS said after `configure replace URL force revert trigger error`, read as the state the
 * device is in. The revert trigger makes a refused line restore the previous running-config
 * ("Reverting back to the original configuration"); without it IOS stops after its passes with the
 * other lines applied ("Rollback aborted after 5 passes"); a file it cannot read or that is not a
 * complete config is refused before anything changes. Sources: Cisco's configuration replace guide
 * and public transcripts (device-reference.md §2.5).
 */
import { NetopsError } from '../../core/errors.js';
import type { PlatformSpec } from '../../platforms/spec.js';
import { errorLines } from './device-ops.js';

/**
 * `replaced`: the running config is the file. `reverted`: a line was refused and the device put
 * its previous running-config back. `refused`: the device did not start (file unreadable or not a
 * complete config). `partial`: the device gave up with the lines it could apply applied.
 * `unknown`: the output says none of these.
 */
export type ReplaceOutcome = 'replaced' | 'reverted' | 'refused' | 'partial' | 'unknown';

export function replaceOutcome(output: string, platform: PlatformSpec): ReplaceOutcome {
  if (
    /Reverting back to the original configuration|original configuration has been successfully restored/i.test(
      output,
    )
  )
    return 'reverted';
  if (/Rollback aborted after \d+ passes/i.test(output)) return 'partial';
  const errors = errorLines(output, platform);
  if (/Rollback Done/i.test(output) && errors.length === 0) return 'replaced';
  // An error before any pass ran (%Error opening ..., not a valid config file, % Invalid input).
  if (errors.length > 0 && !/Total number of passes/i.test(output)) return 'refused';
  return 'unknown';
}

const said: Record<Exclude<ReplaceOutcome, 'replaced'>, string> = {
  reverted: 'refused a line of the file and restored its previous running-config',
  refused: 'refused the replace before changing anything',
  partial: 'gave up the replace after its passes, with the lines it could apply applied',
  unknown: 'answered the replace with neither "Rollback Done" nor a known failure',
};

/** The error for a replace that did not end in `replaced`; `details.replace` carries the outcome. */
export function replaceError(
  host: string,
  command: string,
  output: string,
  outcome: Exclude<ReplaceOutcome, 'replaced'>,
  platform: PlatformSpec,
): NetopsError {
  const errors = errorLines(output, platform);
  const first = errors[0] ?? output.trim().split('\n').at(-1) ?? '';
  return new NetopsError('COMMAND_REJECTED', `${host} ${said[outcome]}: "${first}"`, {
    hint:
      outcome === 'refused'
        ? 'Check that the device reaches the TFTP server and that the file is a complete config ending in `end`.'
        : "Fix the refused line(s) listed in details.errors (check them against this device's software release), then run again.",
    host,
    details: { command, replace: outcome, errors: errors.slice(0, 50), output: output.slice(-2000) },
  });
}
