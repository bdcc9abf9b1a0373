/**
 * The step sequences are data the plan prints and the run follows, built from the platform's own
 * dialogs: each question the platform says it shows must be one its pattern answers, the plan must
 * print the platform's commands and answers, and every step must say what a failure leaves.
 */
import { describe, expect, it } from 'vitest';
import { isNetopsError } from '../../src/core/errors.js';
import { frr } from '../../src/platforms/frr/index.js';
import { ios } from '../../src/platforms/ios/index.js';
import { nxos } from '../../src/platforms/nxos/index.js';
import type { CommandDialog, PlannedDialogStep, PlatformSpec } from '../../src/platforms/spec.js';
import { stepEnv, stepsFor, workflowOf } from '../../src/tasks/startup-config/host-workflow.js';
import { inPlaceSteps } from '../../src/tasks/startup-config/in-place-steps.js';
import { startupConfigParams } from '../../src/tasks/startup-config/params.js';
import { rebuildSteps } from '../../src/tasks/startup-config/rebuild-steps.js';
import { pointOfNoReturn, type WorkflowStep } from '../../src/tasks/startup-config/sequence.js';
import { testHost } from '../helpers/host.js';

const host = (platform: string) =>
  testHost('sw1', { address: '198.18.0.10', platform, console: { host: '198.18.100.1', port: 2005 } });
const params = startupConfigParams.parse({ file: 'x.cfg', reload: true });
const env = (platform: string) => stepEnv(host(platform), params, { server: '198.18.100.10', bytes: 100 });
const planned = (steps: readonly WorkflowStep[], id: string, platform: string) =>
  steps.find((s) => s.id === id)!.commands(env(platform))[0]!;
const iosSteps = (p: Parameters<typeof inPlaceSteps>[1]) => inPlaceSteps(ios.startupConfigWorkflow, p);

/** Every dialog the platform's startup-config workflow takes from it. */
function dialogsOf(platform: PlatformSpec): [string, readonly PlannedDialogStep[]][] {
  const from = { server: '198.18.100.10', file: 'netops-sw1.cfg' };
  const rebuild = platform.startupConfigWorkflow?.kind === 'rebuild-on-console';
  const dialogs: (CommandDialog | undefined)[] = rebuild
    ? [
        platform.copyFromTftp?.(from, 'bootflash:netops-sw1.cfg'),
        platform.erase,
        platform.reload,
        platform.save,
      ]
    : [platform.copyFromTftp?.(from, 'startup-config'), platform.save, platform.reload];
  const boot: [string, readonly PlannedDialogStep[]][] = rebuild ? [['boot', platform.bootDialogs]] : [];
  return [
    ...dialogs.flatMap((d): [string, readonly PlannedDialogStep[]][] => (d ? [[d.command, d.steps]] : [])),
    ...boot,
  ];
}

describe('startup-config sequences', () => {
  it('show each question of the platform dialogs as the device prints it, answered by its own pattern', () => {
    for (const platform of [ios, nxos]) {
      for (const [command, steps] of dialogsOf(platform)) {
        for (const step of steps) {
          const shows = typeof step.shows === 'string' ? [step.shows] : (step.shows ?? []);
          expect(shows.length, `${platform.name} ${command}: ${step.question}`).toBeGreaterThan(0);
          for (const shown of shows) {
            expect(step.question.test(shown.replace('[...]', '[yes - continue]')), shown).toBe(true);
          }
        }
      }
    }
  });

  it('plan the platform commands and answers: NX-OS stage, erase, reload, apply and save', () => {
    const e = env('nxos');
    expect(planned(rebuildSteps, 'stage', 'nxos')).toEqual({
      command: 'copy tftp://198.18.100.10/netops-sw1.cfg bootflash:netops-sw1.cfg vrf management',
      dialog: [
        { question: "Enter vrf (If no input, current vrf 'default' is considered):", answer: 'management' },
      ],
    });
    for (const [id, dialog] of [
      ['erase', nxos.erase],
      ['reload', nxos.reload],
      ['save', nxos.save],
    ] as const) {
      const command = planned(rebuildSteps, id, 'nxos');
      expect(command.command).toBe(dialog.command);
      expect(command.dialog).toEqual(dialog.steps.map((s) => ({ question: s.shows, answer: s.answer })));
    }
    expect(planned(rebuildSteps, 'apply', 'nxos').command).toBe(`copy bootflash:${e.file} running-config`);
    const boot = planned(rebuildSteps, 'boot', 'nxos').dialog!;
    expect(boot.map((q) => q.question)).toContain('Confirm the password for "admin":');
    expect(boot.find((q) => q.question.includes('password for "admin"'))?.answer).toBe('<admin password>');
  });

  it('plan the IOS copy and reload with the ios dialogs, each question as the device prints it', () => {
    const steps = iosSteps(params);
    expect(planned(steps, 'copy', 'ios')).toEqual({
      command: 'copy tftp://198.18.100.10/netops-sw1.cfg startup-config',
      dialog: [
        { question: 'Address or name of remote host [198.18.100.10]?', answer: '' },
        { question: 'Source filename [netops-sw1.cfg]?', answer: '' },
        { question: 'Destination filename [startup-config]?', answer: '' },
      ],
    });
    expect(planned(steps, 'reload', 'ios').dialog).toEqual([
      { question: 'System configuration has been modified. Save? [yes/no]:', answer: 'no' },
      { question: 'Proceed with reload? [confirm]', answer: '' },
    ]);
  });

  it('put the point of no return at the reload, after the backup and the console check', () => {
    const ids = rebuildSteps.map((s) => s.id);
    expect(ids[pointOfNoReturn(rebuildSteps)]).toBe('reload');
    expect(ids.indexOf('backup-before')).toBeLessThan(ids.indexOf('erase'));
    expect(ids.indexOf('console-check')).toBeLessThan(ids.indexOf('erase'));
    expect(iosSteps({ mode: 'copy', reload: false }).some((s) => s.pointOfNoReturn)).toBe(false);
    expect(iosSteps({ mode: 'replace', reload: false }).find((s) => s.pointOfNoReturn)?.id).toBe('replace');
  });

  it('say for every step past the point of no return that the device changed and how to recover', () => {
    for (const [steps, platform] of [
      [rebuildSteps, 'nxos'],
      [iosSteps(params), 'ios'],
    ] as const) {
      const ponr = pointOfNoReturn(steps);
      steps.forEach((step, i) => {
        const advice = step.failure(env(platform));
        expect(advice.next.length, step.id).toBeGreaterThan(20);
        if (i >= ponr) expect(advice.changed, step.id).toBe(true);
      });
    }
    const boot = rebuildSteps.find((s) => s.id === 'boot')!.failure(env('nxos'));
    expect(boot.next).toContain('198.18.100.1:2005');
    expect(boot.next).toContain('copy bootflash:netops-sw1.cfg running-config');
  });

  it('dispatch on the platform capability: a platform without one is refused, naming those with one', () => {
    expect(workflowOf(host('nxos')).kind).toBe('rebuild-on-console');
    expect(stepsFor(host('ios'), params).map((s) => s.id)).toContain('copy');
    expect((frr as PlatformSpec).startupConfigWorkflow).toBeUndefined();
    let refused: unknown;
    try {
      workflowOf(host('frr'));
    } catch (error) {
      refused = error;
    }
    expect(isNetopsError(refused, 'CONFIG_INVALID')).toBe(true);
    expect((refused as Error).message).toBe('startup-config has no workflow for platform frr (sw1)');
    expect((refused as { hint: string }).hint).toContain('ios, nxos');
  });
});
