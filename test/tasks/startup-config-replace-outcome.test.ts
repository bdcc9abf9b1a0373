/**
 * How netops reads IOS's answer to `configure replace`, on outputs shaped like those real devices
 * print (Cisco's examples; public transcripts of a refused line with and without a revert trigger),
 * not only on what our simulator prints.
 */
import { describe, expect, it } from 'vitest';
import { ios } from '../../src/platforms/ios/index.js';
import { replaceError, replaceOutcome } from '../../src/tasks/startup-config/replace-outcome.js';

const outputs = {
  replaced:
    'Loading netops-r1.cfg from 192.0.2.10 (via GigabitEthernet0/0): !\n[OK - 1520 bytes]\nTotal number of passes: 1\nRollback Done\n',
  reverted:
    'Failed to apply command vpc domain 10\nAborting Rollback.\nRollback failed.Reverting back to the original configuration: flash:r1-cfg-Nov-29-12-00-00-0\nTotal number of passes: 1\nRollback Done\n',
  partial:
    'The rollback configlet from the last pass is listed below:\n********\n!List of Rollback Commands:\nline vty 0 4\n no login\nend\n********\n\n\nRollback aborted after 5 passes\n',
  refused: '%Error opening tftp://192.0.2.10/netops-r1.cfg (Timed out)\n',
  invalid: '%The input file is not a valid config file.\n',
} as const;

const outcome = (output: string) => replaceOutcome(ios.startupConfigWorkflow.replace, output, ios);

describe('replaceOutcome', () => {
  it('tells a replace that ran from one the device reverted, gave up on or never started', () => {
    expect(outcome(outputs.replaced)).toBe('replaced');
    expect(outcome(outputs.reverted)).toBe('reverted');
    expect(outcome(outputs.partial)).toBe('partial');
    expect(outcome(outputs.refused)).toBe('refused');
    expect(outcome(outputs.invalid)).toBe('refused');
    expect(outcome('')).toBe('unknown');
  });

  it('names the refused line and keeps the outcome for the failure report', () => {
    const error = replaceError('r1', 'configure replace ...', outputs.reverted, 'reverted', ios);
    expect(error.message).toBe(
      'r1 refused a line of the file and restored its previous running-config: "Failed to apply command vpc domain 10"',
    );
    expect(error.details).toMatchObject({ replace: 'reverted' });
    expect((error.details!['errors'] as string[])[0]).toBe('Failed to apply command vpc domain 10');
  });
});
