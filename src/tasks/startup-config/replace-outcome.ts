/**
 * A running-config replace read as the state the device is in: the platform's `replace.outcome`
 * reads the device's answer; a replace that did not end in `replaced` becomes an error whose
 * `details.replace` the failure report turns into the device's state.
 */
import { NetopsError } from '../../core/errors.js';
import type { ConfigReplace, ReplaceOutcome } from '../../platforms/startup-config.js';
import type { PlatformSpec } from '../../platforms/spec.js';
import { errorLines } from './device-ops.js';

export function replaceOutcome(
  replace: ConfigReplace,
  output: string,
  platform: PlatformSpec,
): ReplaceOutcome {
  return replace.outcome(output, errorLines(output, platform));
}

const said: Record<Exclude<ReplaceOutcome, 'replaced'>, string> = {
  reverted: 'refused a line of the file and restored its previous running-config',
  refused: 'refused the replace before changing anything',
  partial: 'gave up the replace after its passes, with the lines it could apply applied',
  unknown: 'answered the replace with neither its success message nor a known failure',
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
        ? 'Check that the device reaches the TFTP server and that the file is a complete config.'
        : "Fix the refused line(s) listed in details.errors (check them against this device's software release), then run again.",
    host,
    details: { command, replace: outcome, errors: errors.slice(0, 50), output: output.slice(-2000) },
  });
}
