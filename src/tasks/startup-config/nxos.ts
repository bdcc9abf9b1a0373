/**
 * Runs the Nexus sequence of nxos-steps.ts on one host: SSH until the reload, then the console
 * line, which stays connected through the reload because the terminal server holds it. The console
 * session is opened (and logged in) before anything is erased, so a dead console line stops the
 * run while the device is still untouched.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError } from '../../core/errors.js';
import { CliSession } from '../../platforms/session.js';
import { tftpUrl } from '../../platforms/spec.js';
import { openConsole } from '../../transport/console.js';
import type { TaskContext } from '../task.js';
import { watchBoot, type BootQuestion, type BootWatch } from './boot-watch.js';
import type { ConfigComparison } from './compare.js';
import { ConsoleLog } from './console-log.js';
import {
  adminHost,
  backupRunning,
  errorLines,
  publish,
  reloadOver,
  sshSession,
  storeInstalledBaseline,
  verifyConfig,
  type Served,
} from './device-ops.js';
import { nxosSteps, type NxosStepId } from './nxos-steps.js';
import type { StartupConfigParams } from './params.js';
import type { StepEnv } from './sequence.js';
import { toSecretRef } from './source.js';
import { runWorkflow, type StepDone, type StepImplementations } from './workflow.js';

export interface NxosRun {
  readonly ctx: TaskContext;
  readonly params: StartupConfigParams;
  readonly env: StepEnv;
  readonly served: Served;
  /** The rendered config with its secrets. */
  readonly text: string;
}

export interface NxosResult {
  readonly steps: StepDone[];
  readonly consoleLog: string;
  readonly before: string;
  readonly verified: ConfigComparison;
}

export async function runNxos(run: NxosRun): Promise<NxosResult> {
  const { ctx, params, text } = run;
  const { host, platform } = run.env;
  const line = host.console;
  if (!line) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `${host.name} has no console line, and the Nexus workflow finishes on the console`,
      {
        hint: 'Add `console: { host: TERMINAL-SERVER, port: 2000 + line }` to the host: after the reload only the console is left.',
        host: host.name,
      },
    );
  }
  const admin = adminHost(
    host,
    params.boot.adminPassword ? toSecretRef(params.boot.adminPassword) : host.credentials?.password,
  );
  const copyMs = params.timeouts.copy * 1000;
  const logDir = path.resolve(ctx.job.dir, params.logs);
  const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
  const before = path.join(logDir, `${host.name}-${stamp}.before.cfg`);
  // The raw copy restores the device; the store's copy has its secrets masked.
  const env = { ...run.env, backup: `${before} (masked copy in the store: ${run.env.backup})` };
  const sessionOptions = (h = host) => ({
    host: h,
    secret: ctx.secret,
    signal: ctx.signal,
    timeouts: { commandMs: copyMs },
  });

  let ssh: CliSession | undefined;
  let onConsole: CliSession | undefined;
  let consoleLog: ConsoleLog | undefined;
  let unpublish: (() => void) | undefined;
  let booting: BootWatch | undefined;
  const stopWatch = new AbortController();
  let verified: ConfigComparison = { missing: [], extra: [] };

  const mustSay = (output: string, what: RegExp, command: string) => {
    const errors = errorLines(output, platform);
    if (errors.length === 0 && what.test(output)) return;
    throw new NetopsError(
      'COMMAND_REJECTED',
      `${host.name}: "${command}" failed: ${errors[0] ?? output.trim().slice(-200)}`,
      {
        hint: 'Read the device output in details (and the console log).',
        host: host.name,
        details: { command, errors: errors.slice(0, 50), output: output.slice(-2000) },
      },
    );
  };

  const steps: StepImplementations<NxosStepId> = {
    publish: async () => {
      unpublish = publish(run.served, env.file, text);
      return { server: env.server, file: env.file, bytes: env.bytes };
    },
    stage: async () => {
      ssh = await sshSession(ctx, copyMs);
      const command = `copy ${tftpUrl({ server: env.server, file: env.file })} bootflash:${env.file} vrf management`;
      const result = await ssh.dialog(
        { command, steps: [{ question: /Enter vrf.*:\s*$/, answer: 'management', optional: true }] },
        { allowErrors: true },
      );
      mustSay(result.text, /Copy complete/, command);
    },
    'check-staged': async () => {
      const listing = (await (ssh as CliSession).send('dir bootflash:')).text;
      const row = listing.split('\n').find((l) => l.trim().endsWith(` ${env.file}`) || l.trim() === env.file);
      const size = Number(/^\s*(\d+)\s/.exec(row ?? '')?.[1] ?? NaN);
      if (size !== env.bytes) {
        throw new NetopsError(
          'TFTP_TRANSFER_FAILED',
          `bootflash:${env.file} is ${Number.isNaN(size) ? 'missing' : `${size} bytes`}, expected ${env.bytes}`,
          {
            hint: 'The staged copy is not the file we served: check free space on bootflash: and the TFTP log.',
            host: host.name,
          },
        );
      }
      return { size, md5: await checkMd5(ssh as CliSession, env.file, text, host.name) };
    },
    'backup-before': async () => {
      const { text: running, saved } = await backupRunning(
        ctx,
        ssh as CliSession,
        `${host.name}: before startup-config`,
      );
      await writeFileAtomic(before, running.endsWith('\n') ? running : `${running}\n`, { mode: 0o600 });
      return { store: saved.path, before };
    },
    'console-check': async () => {
      consoleLog = await ConsoleLog.open(logDir, host.name, env.console);
      const transport = await openConsole({ line, host: host.name, family: host.family, signal: ctx.signal });
      consoleLog.attach(transport);
      onConsole = new CliSession(transport, platform, sessionOptions());
      await onConsole.start();
      return { console: env.console, prompt: onConsole.privilege };
    },
    erase: async () => {
      consoleLog?.mark('write erase over SSH');
      const result = await (ssh as CliSession).dialog(platform.erase ?? missing('erase'), {
        allowErrors: true,
      });
      mustSay(result.text, /^/, 'write erase');
    },
    reload: async () => {
      consoleLog?.mark('reload over SSH');
      const transport = (onConsole as CliSession).channel.transport;
      // The session that logs in after the boot is made now, so its channel sees the whole boot.
      onConsole = new CliSession(transport, platform, sessionOptions(admin));
      booting = watchBoot({
        transport,
        questions: bootQuestions(run, admin),
        // After an erase and a reload NX-OS always asks for a login (the setup made admin).
        done: [platform.login.username],
        timeoutMs: params.timeouts.boot * 1000,
        unknownQuestionMs: params.timeouts.unknownQuestion * 1000,
        signal: AbortSignal.any([ctx.signal, stopWatch.signal]),
        host: host.name,
      });
      booting.booted.catch(() => undefined);
      await reloadOver(ssh as CliSession, platform.reload ?? missing('reload'), host.name);
      booting.arm();
      ssh = undefined;
      return { sshClosed: true };
    },
    boot: async () => {
      const watched = await (booting as BootWatch).booted;
      return { answered: watched.answered };
    },
    login: async () => {
      consoleLog?.mark('login');
      await (onConsole as CliSession).start();
    },
    apply: async () => {
      const command = `copy bootflash:${env.file} running-config`;
      const result = await (onConsole as CliSession).send(command, { allowErrors: true, timeoutMs: copyMs });
      mustSay(result.text, /Copy complete/, command);
    },
    save: async () => {
      const result = await (onConsole as CliSession).dialog(platform.save, { allowErrors: true });
      mustSay(result.text, /Copy complete\.?\s*$/m, platform.save.command);
    },
    verify: async () => {
      verified = await verifyConfig(onConsole as CliSession, 'startup', text, host.name);
      return { extra: verified.extra.slice(0, 50) };
    },
    'backup-after': () => storeInstalledBaseline(ctx, onConsole as CliSession, text),
  };

  try {
    const done = await runWorkflow({
      steps: nxosSteps,
      env,
      run: steps,
      consoleLog: () => consoleLog?.file,
      progress: ctx.progress,
      log: (message, fields) => {
        consoleLog?.mark(message);
        ctx.log(message, fields);
      },
    });
    return { steps: done, consoleLog: (consoleLog as ConsoleLog).file, before, verified };
  } finally {
    stopWatch.abort();
    unpublish?.();
    await ssh?.close();
    await onConsole?.close();
    await consoleLog?.close();
  }
}

function bootQuestions(run: NxosRun, admin: ReturnType<typeof adminHost>): BootQuestion[] {
  const password = admin.credentials?.password;
  const fromJob = run.params.boot.answers.map((a) => ({
    question: new RegExp(a.question),
    answer: () =>
      typeof a.answer === 'string' ? Promise.resolve(a.answer) : run.ctx.secret(toSecretRef(a.answer)),
  }));
  const known = run.env.platform.bootDialogs.map((step) => ({
    question: step.question,
    answer: () => (step.secret && password ? run.ctx.secret(password) : Promise.resolve(step.answer)),
  }));
  return [...fromJob, ...known];
}

/**
 * Compares the staged file's MD5 with ours. Releases without `show file ... md5sum` refuse it; then
 * the size check stands alone and the step data says so.
 */
async function checkMd5(ssh: CliSession, file: string, text: string, host: string): Promise<string> {
  const shown = await ssh.send(`show file bootflash:${file} md5sum`, { allowErrors: true });
  const found = /\b([0-9a-f]{32})\b/i.exec(shown.text)?.[1]?.toLowerCase();
  if (!found) return 'not checked: the device has no `show file ... md5sum`';
  const ours = createHash('md5').update(text).digest('hex');
  if (found === ours) return found;
  throw new NetopsError(
    'TFTP_TRANSFER_FAILED',
    `bootflash:${file} has MD5 ${found}, the file we served ${ours}`,
    {
      hint: 'The staged copy is corrupt: delete it and run again.',
      host,
    },
  );
}

function missing(what: string): never {
  throw new Error(`the nxos platform has no ${what} dialog`);
}
