/**
 * A step cut at its time limit says where it stopped (docs/startup-config.md: "when it stops half-way
 * it says exactly where"): the command it was at, or the workflow step with the device's state and
 * what to do next, never a bare STEP_TIMEOUT.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../src/config/model.js';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { Redactor } from '../../src/runner/redactor.js';
import { runStep } from '../../src/runner/step.js';
import { command } from '../../src/tasks/command.js';
import { untouched, type WorkflowStep } from '../../src/tasks/startup-config/sequence.js';
import { runWorkflow } from '../../src/tasks/startup-config/workflow.js';
import { defineTask, type AnyTask, type TaskContext } from '../../src/tasks/task.js';
import { useStateDir, useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { labHost, taskContext } from '../platforms/lab-hosts.js';

const jobDir = useTempDir('netops-step-timeout-');
useStateDir(path.join(jobDir, 'state'));
const lab = useLoopbackLab({ devices: 1, platforms: ['ios'], bootMs: 200, snmp: false });

function stepContext(host: Host): Omit<TaskContext, 'signal'> {
  const { signal: _unused, ...context } = taskContext(host, jobDir);
  return context;
}

const run = (task: AnyTask, params: unknown, host: Host, timeoutMs: number) =>
  runStep(
    task,
    { name: task.name, params },
    stepContext(host),
    { timeoutMs, retries: 0, backoffMs: 1 },
    new AbortController().signal,
    new Redactor(),
  );

describe('a step time-out', () => {
  it('names the command a hung command step was at, and how many were done', async () => {
    const device = lab.devices[0] as LabDevice;
    const host = labHost(lab, device, '127.0.0.1');
    // The device stops answering once the second command is about to be sent: a hang mid-step.
    const hangsAtSecond = defineTask({
      ...command,
      run: (ctx, p) =>
        command.run(
          {
            ...ctx,
            progress: (where, explain) => {
              if (where.startsWith('command 2/')) device.setFaults({ latencyMs: 600_000 });
              ctx.progress?.(where, explain);
            },
          },
          p,
        ),
    });
    try {
      const params = command.params.parse({
        commands: ['show clock', 'show version', 'show inventory'],
        timeoutMs: 120_000,
      });
      // Room for the login and the first command on a loaded machine before the limit strikes.
      const result = await run(hangsAtSecond, params, host, 20_000);
      expect(result.status).toBe('failed');
      expect(result.error).toMatchObject({
        code: 'STEP_TIMEOUT',
        message: 'step "command" did not finish within 20s; it was at command 2/3 "show version" (1 done)',
        details: { timeoutMs: 20_000, reached: 'command 2/3 "show version" (1 done)' },
      });
    } finally {
      device.setFaults({});
    }
  });

  it('names the login when the device never gives a prompt', async () => {
    const device = lab.devices[0] as LabDevice;
    device.setFaults({ hangAfterLogin: true });
    try {
      const params = command.params.parse({ commands: ['show clock'] });
      const result = await run(command, params, labHost(lab, device, '127.0.0.1'), 3_000);
      expect(result.error?.code).toBe('STEP_TIMEOUT');
      expect(result.error?.message).toBe(
        'step "command" did not finish within 3s; it was at connecting and logging in over ssh',
      );
    } finally {
      device.setFaults({});
    }
  });

  it('in a startup-config workflow is reported as a stop at that step, with the device state and next action', async () => {
    const host = labHost(lab, lab.devices[0] as LabDevice, '127.0.0.1');
    const steps: WorkflowStep<'stage' | 'reload' | 'boot'>[] = [
      {
        id: 'stage',
        title: 'stage the file',
        via: 'ssh',
        commands: () => [],
        failure: () => untouched('Run again.'),
      },
      {
        id: 'reload',
        title: 'reload',
        via: 'ssh',
        commands: () => [],
        pointOfNoReturn: true,
        failure: () => ({ state: 'reloading', next: 'Watch the console.', changed: true }),
      },
      {
        id: 'boot',
        title: 'watch the boot on the console',
        via: 'console',
        commands: () => [],
        failure: () => ({
          state: 'booting with an empty startup-config',
          next: 'Log in on the console.',
          changed: true,
        }),
      },
    ];
    const workflow = defineTask({
      name: 'startup-config',
      summary: 'test',
      params: command.params,
      run: async (ctx) => {
        await runWorkflow({
          steps,
          env: { host } as never,
          run: {
            stage: async () => ({ bytes: 551 }),
            reload: async () => undefined,
            boot: () => new Promise(() => {}),
          },
          consoleLog: () => 'logs/r1.log',
          log: () => undefined,
          progress: ctx.progress,
        });
        return { status: 'changed' };
      },
    });
    const result = await run(workflow, {}, host, 500);
    expect(result.error).toMatchObject({
      code: 'WORKFLOW_FAILED',
      message: `${host.name}: startup-config stopped at step 3/3 "watch the boot on the console" after the point of no return: step "startup-config" did not finish within 0.5s; it was at step 3/3 "watch the boot on the console"`,
      details: {
        stoppedAt: 'boot',
        completed: ['stage', 'reload'],
        pointOfNoReturnPassed: true,
        deviceState: 'booting with an empty startup-config',
        next: 'Log in on the console.',
        consoleLog: 'logs/r1.log',
        cause: { code: 'STEP_TIMEOUT' },
      },
    });
    expect(result.error?.hint).toContain(
      'Device state: booting with an empty startup-config. Next: Log in on the console.',
    );
  });

  it('stays a plain STEP_TIMEOUT when the task reported nothing', async () => {
    const silent = defineTask({
      name: 'silent',
      summary: 'test',
      params: command.params,
      run: () => new Promise<never>(() => {}),
    });
    const result = await run(silent, {}, labHost(lab, lab.devices[0] as LabDevice), 200);
    expect(result.error).toMatchObject({
      code: 'STEP_TIMEOUT',
      message: 'step "silent" did not finish within 0.2s',
    });
  });
});
