/**
 * Runs the IOS sequence of ios-steps.ts on one host, all over SSH: the device fetches the file from
 * our TFTP server into startup-config (or replaces its running config with it), we read it back,
 * and on request reload and wait for SSH to return with the new config running.
 */
import { NetopsError, isNetopsError } from '../../core/errors.js';
import type { CliSession } from '../../platforms/session.js';
import type { TaskContext } from '../task.js';
import type { ConfigComparison } from './compare.js';
import {
  publish,
  reloadOver,
  sshSession,
  storeInstalledBaseline,
  verifyConfig,
  type Served,
} from './device-ops.js';
import { iosSteps, replaceCommand, type IosStepId } from './ios-steps.js';
import { replaceError, replaceOutcome } from './ios-replace.js';
import type { StartupConfigParams } from './params.js';
import type { StepEnv } from './sequence.js';
import { runWorkflow, type StepDone, type StepImplementations } from './workflow.js';

export interface IosRun {
  readonly ctx: TaskContext;
  readonly params: StartupConfigParams;
  readonly env: StepEnv;
  readonly served: Served;
  readonly text: string;
}

export async function runIos(run: IosRun): Promise<{ steps: StepDone[]; verified: ConfigComparison }> {
  const { ctx, params, env, text } = run;
  const { host, platform } = env;
  const copyMs = params.timeouts.copy * 1000;
  let ssh: CliSession | undefined;
  let unpublish: (() => void) | undefined;
  let verified: ConfigComparison = { missing: [], extra: [] };
  const session = async () => (ssh ??= await sshSession(ctx, copyMs));
  const from = { server: env.server, file: env.file };

  const steps: StepImplementations<IosStepId> = {
    publish: async () => {
      unpublish = publish(run.served, env.file, text);
      return { server: env.server, file: env.file, bytes: env.bytes };
    },
    copy: async () => {
      const copy = platform.copyFromTftp?.(from, 'startup-config');
      if (!copy) throw new Error('the ios platform has no copy from TFTP');
      await (await session()).dialog(copy);
    },
    replace: async () => {
      const command = replaceCommand(from);
      const result = await (await session()).send(command, { allowErrors: true });
      const outcome = replaceOutcome(result.text, platform);
      if (outcome !== 'replaced') throw replaceError(host.name, command, result.text, outcome, platform);
      return { passes: Number(/Total number of passes: (\d+)/.exec(result.text)?.[1] ?? NaN) };
    },
    save: async () => {
      await (await session()).dialog(platform.save);
    },
    verify: async () => {
      verified = await verifyConfig(await session(), 'startup', text, host.name);
      return { extra: verified.extra.slice(0, 50) };
    },
    reload: async () => {
      await reloadOver(await session(), platform.reload ?? missingReload(), host.name);
      ssh = undefined;
      return { sshClosed: true };
    },
    running: async () => {
      ssh = await untilBack(ctx, params.timeouts.boot * 1000, copyMs);
      verified = await verifyConfig(ssh, 'running', text, host.name);
      return { extra: verified.extra.slice(0, 50) };
    },
    'backup-after': async () => storeInstalledBaseline(ctx, await session(), text),
  };

  try {
    const done = await runWorkflow({
      steps: iosSteps(params),
      env,
      run: steps,
      consoleLog: () => undefined,
      progress: ctx.progress,
      log: (message, fields) => ctx.log(message, fields),
    });
    return { steps: done, verified };
  } finally {
    unpublish?.();
    await ssh?.close();
  }
}

/**
 * Logs in over SSH again once the device is back. While it boots, connections are refused or
 * logins fail; each attempt waits on the device (connect and login time limits), and attempts are
 * spaced by a growing pause so a booting device is not hammered.
 */
async function untilBack(ctx: TaskContext, timeoutMs: number, commandMs: number): Promise<CliSession> {
  const end = Date.now() + timeoutMs;
  let pauseMs = 500;
  let last: unknown;
  while (Date.now() < end) {
    try {
      return await sshSession(ctx, commandMs);
    } catch (error) {
      if (isNetopsError(error, 'ABORTED')) throw error;
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, Math.max(0, end - Date.now()))));
    pauseMs = Math.min(pauseMs * 2, 10_000);
  }
  throw new NetopsError(
    'PROMPT_TIMEOUT',
    `${ctx.host.name} was not back on SSH within ${timeoutMs / 1000}s after the reload`,
    {
      hint: 'Watch the boot on the console; raise timeouts.boot for slow devices.',
      host: ctx.host.name,
      details: { lastError: isNetopsError(last) ? last.toJSON() : String(last) },
    },
  );
}

function missingReload(): never {
  throw new Error('the ios platform has no reload dialog');
}
