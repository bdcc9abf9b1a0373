/**
 * Runs the `install-in-place` sequence of in-place-steps.ts on one host, all over SSH: the device
 * fetches the file from our TFTP server into startup-config (or replaces its running config with
 * it), we read it back, and on request reload and wait for SSH to return with the new config running.
 */
import type { CliSession } from '../../platforms/session.js';
import type { TaskContext } from '../task.js';
import type { ConfigComparison } from './compare.js';
import { openTaskSession, reopenAfterReload } from '../cli-session.js';
import { publish, storeInstalledBaseline, verifyConfig, type Served } from './device-ops.js';
import type { InstallInPlace } from '../../platforms/startup-config.js';
import { copyToStartup, inPlaceSteps, servedFile, type InPlaceStepId } from './in-place-steps.js';
import { replaceError, replaceOutcome } from './replace-outcome.js';
import type { StartupConfigParams } from './params.js';
import type { StepEnv } from './sequence.js';
import { runWorkflow, type StepDone, type StepImplementations } from './workflow.js';

export interface InPlaceRun {
  readonly ctx: TaskContext;
  readonly workflow: InstallInPlace;
  readonly params: StartupConfigParams;
  readonly env: StepEnv;
  readonly served: Served;
  readonly text: string;
}

export async function runInPlace(
  run: InPlaceRun,
): Promise<{ steps: StepDone[]; verified: ConfigComparison }> {
  const { ctx, params, env, text, workflow } = run;
  const { host, platform } = env;
  const copyMs = params.timeouts.copy * 1000;
  let ssh: CliSession | undefined;
  let unpublish: (() => void) | undefined;
  let verified: ConfigComparison = { missing: [], extra: [] };
  const session = async () => (ssh ??= await openTaskSession(ctx, { commandMs: copyMs }));

  const steps: StepImplementations<InPlaceStepId> = {
    publish: async () => {
      unpublish = publish(run.served, env.file, text);
      return { server: env.server, file: env.file, bytes: env.bytes };
    },
    copy: async () => {
      await (await session()).dialog(copyToStartup(env));
    },
    replace: async () => {
      const replace = workflow.replace;
      if (!replace) throw new Error(`platform ${platform.name} cannot replace its running config`);
      const command = replace.command(servedFile(env));
      const result = await (await session()).send(command, { allowErrors: true });
      const outcome = replaceOutcome(replace, result.text, platform);
      if (outcome !== 'replaced') throw replaceError(host.name, command, result.text, outcome, platform);
      return { passes: replace.passes?.(result.text) ?? NaN };
    },
    save: async () => {
      await (await session()).dialog(platform.save);
    },
    verify: async () => {
      verified = await verifyConfig(await session(), 'startup', text, host.name);
      return { extra: verified.extra.slice(0, 50) };
    },
    reload: async () => {
      await (await session()).reload({ until: 'dropped' });
      ssh = undefined;
      return { sshClosed: true };
    },
    running: async () => {
      ssh = await reopenAfterReload(ctx, { timeoutMs: params.timeouts.boot * 1000, commandMs: copyMs });
      verified = await verifyConfig(ssh, 'running', text, host.name);
      return { extra: verified.extra.slice(0, 50) };
    },
    'backup-after': async () => storeInstalledBaseline(ctx, await session(), text),
  };

  try {
    const done = await runWorkflow({
      steps: inPlaceSteps(workflow, params),
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
