/**
 * The step sequences are data the plan prints and the run follows: the questions a plan promises
 * must be the ones the platform drivers answer, and every step must say what a failure leaves.
 */
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/config/model.js';
import { ios } from '../../src/platforms/ios/index.js';
import { nxos } from '../../src/platforms/nxos/index.js';
import { iosSteps } from '../../src/tasks/startup-config/ios-steps.js';
import { nxosSteps } from '../../src/tasks/startup-config/nxos-steps.js';
import { startupConfigParams } from '../../src/tasks/startup-config/params.js';
import { pointOfNoReturn, type WorkflowStep } from '../../src/tasks/startup-config/sequence.js';
import { stepEnv } from '../../src/tasks/startup-config/strategy.js';

const host = (platform: string): Host => ({
  name: 'sw1',
  address: '198.18.0.10',
  port: undefined,
  family: undefined,
  platform,
  transport: 'ssh',
  console: { host: '198.18.100.1', port: 2005 },
  snmp: undefined,
  credentials: undefined,
  ssh: { legacyAlgorithms: false, trustNewHostKey: false },
  groups: [],
  data: {},
});
const params = startupConfigParams.parse({ file: 'x.cfg', reload: true });
const env = (platform: string) => stepEnv(host(platform), params, { server: '198.18.100.10', bytes: 100 });
const planned = (steps: readonly WorkflowStep[], id: string, platform: string) =>
  steps.find((s) => s.id === id)!.commands(env(platform))[0]!;

describe('startup-config sequences', () => {
  it('plan the NX-OS erase and reload questions the nxos driver answers, with the same answers', () => {
    for (const [id, dialog] of [
      ['erase', nxos.erase],
      ['reload', nxos.reload],
    ] as const) {
      const command = planned(nxosSteps, id, 'nxos');
      expect(command.command).toBe(dialog.command);
      const question = command.dialog![0]!;
      expect(dialog.steps[0]!.question.test(question.question), question.question).toBe(true);
      expect(dialog.steps[0]!.answer).toBe(question.answer);
    }
  });

  it('plan the NX-OS first-boot questions the nxos platform knows', () => {
    const boot = planned(nxosSteps, 'boot', 'nxos').dialog!;
    for (const { question, answer } of boot) {
      const known = nxos.bootDialogs.find((d) =>
        d.question.test(question.replace('[...]', '[yes - continue]')),
      );
      expect(known, question).toBeDefined();
      if (!known!.secret) expect(known!.answer).toBe(answer);
    }
  });

  it('plan the IOS copy and reload questions the ios driver answers', () => {
    const steps = iosSteps(params);
    const copy = planned(steps, 'copy', 'ios');
    const driver = ios.copyFromTftp({ server: '198.18.100.10', file: 'netops-sw1.cfg' }, 'startup-config');
    expect(copy.command).toBe(driver.command);
    copy.dialog!.forEach((q, i) => expect(driver.steps[i]!.question.test(q.question), q.question).toBe(true));
    const reload = planned(steps, 'reload', 'ios');
    reload.dialog!.forEach((q, i) => {
      expect(ios.reload.steps[i]!.question.test(q.question), q.question).toBe(true);
      expect(ios.reload.steps[i]!.answer).toBe(q.answer);
    });
  });

  it('put the point of no return at the reload, after the backup and the console check', () => {
    const ids = nxosSteps.map((s) => s.id);
    expect(ids[pointOfNoReturn(nxosSteps)]).toBe('reload');
    expect(ids.indexOf('backup-before')).toBeLessThan(ids.indexOf('erase'));
    expect(ids.indexOf('console-check')).toBeLessThan(ids.indexOf('erase'));
    expect(iosSteps({ mode: 'copy', reload: false }).some((s) => s.pointOfNoReturn)).toBe(false);
    expect(iosSteps({ mode: 'replace', reload: false }).find((s) => s.pointOfNoReturn)?.id).toBe('replace');
  });

  it('say for every step past the point of no return that the device changed and how to recover', () => {
    for (const [steps, platform] of [
      [nxosSteps, 'nxos'],
      [iosSteps(params), 'ios'],
    ] as const) {
      const ponr = pointOfNoReturn(steps);
      steps.forEach((step, i) => {
        const advice = step.failure(env(platform));
        expect(advice.next.length, step.id).toBeGreaterThan(20);
        if (i >= ponr) expect(advice.changed, step.id).toBe(true);
      });
    }
    const boot = nxosSteps.find((s) => s.id === 'boot')!.failure(env('nxos'));
    expect(boot.next).toContain('198.18.100.1:2005');
    expect(boot.next).toContain('copy bootflash:netops-sw1.cfg running-config');
  });
});
