/**
 * Runs the `rebuild-on-console` sequence of rebuild-steps.ts on one host: SSH until the reload,
 * then the console line, which stays connected through the reload because the terminal server
 * holds it. The console session is opened (and logged in) before anything is erased, so a dead
 * console line stops the run while the device is still untouched. Each step is one method of
 * `Rebuild`, which holds the sessions the steps hand on to each other.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Host } from '../../config/model.js';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError } from '../../core/errors.js';
import type { BootQuestion, BootWatch } from '../../channel/boot-watch.js';
import { bootQuestionsOf } from '../../platforms/login.js';
import type { CliSession } from '../../platforms/session.js';
import type { RebuildOnConsole } from '../../platforms/startup-config.js';
import { openTaskSession } from '../cli-session.js';
import type { TaskContext } from '../task.js';
import type { ConfigComparison } from './compare.js';
import { ConsoleLog } from './console-log.js';
import {
  adminHost,
  errorLines,
  publish,
  storeInstalledBaseline,
  verifyConfig,
  type Served,
} from './device-ops.js';
import type { StartupConfigParams } from './params.js';
import {
  platformDialog,
  rebuildSteps,
  stageDialog,
  stagedPath,
  type RebuildStepId,
} from './rebuild-steps.js';
import type { StepEnv } from './sequence.js';
import { toSecretRef } from './source.js';
import { runWorkflow, type StepDone, type StepImplementations } from './workflow.js';

export interface RebuildRun {
  readonly ctx: TaskContext;
  readonly workflow: RebuildOnConsole;
  readonly params: StartupConfigParams;
  readonly env: StepEnv;
  readonly served: Served;
  /** The rendered config with its secrets. */
  readonly text: string;
}

export interface RebuildResult {
  readonly steps: StepDone[];
  readonly consoleLog: string;
  readonly before: string;
  readonly verified: ConfigComparison;
}

export async function runRebuild(run: RebuildRun): Promise<RebuildResult> {
  const rebuild = new Rebuild(run);
  try {
    const done = await runWorkflow({
      steps: rebuildSteps,
      env: rebuild.env,
      run: rebuild.steps(),
      consoleLog: () => rebuild.consoleLog?.file,
      progress: run.ctx.progress,
      log: (message, fields) => {
        rebuild.consoleLog?.mark(message);
        run.ctx.log(message, fields);
      },
    });
    return {
      steps: done,
      consoleLog: rebuild.consoleLog!.file,
      before: rebuild.before,
      verified: rebuild.verified,
    };
  } finally {
    await rebuild.close();
  }
}

/** The workflow finishes on the console: a host without a console line is refused before anything is done. */
function requireConsoleLine(host: Host): void {
  if (host.console) return;
  throw new NetopsError(
    'CONFIG_INVALID',
    `${host.name} has no console line, and this platform's workflow finishes on the console`,
    {
      hint: 'Add `console: { host: TERMINAL-SERVER, port: 2000 + line }` to the host: after the reload only the console is left.',
      host: host.name,
    },
  );
}

/** One run's state: the sessions, the console log and the boot watch the steps hand on. */
class Rebuild {
  readonly env: StepEnv;
  /** The raw running-config before the change: the copy that restores the device. */
  readonly before: string;
  verified: ConfigComparison = { missing: [], extra: [] };
  consoleLog: ConsoleLog | undefined;
  readonly #run: RebuildRun;
  /** The account the first boot creates, which logs in on the console after the reload. */
  readonly #firstBoot: Host;
  readonly #logDir: string;
  readonly #stopWatch = new AbortController();
  #ssh: CliSession | undefined;
  #console: CliSession | undefined;
  #booting: BootWatch | undefined;
  #unpublish: (() => void) | undefined;

  constructor(run: RebuildRun) {
    const { ctx, params } = run;
    const { host } = run.env;
    this.#run = run;
    requireConsoleLine(host);
    const password = params.boot.adminPassword
      ? toSecretRef(params.boot.adminPassword)
      : host.credentials?.password;
    this.#firstBoot = adminHost(host, password, run.workflow.firstBootUser);
    this.#logDir = path.resolve(ctx.job.dir, params.logs);
    const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
    this.before = path.join(this.#logDir, `${host.name}-${stamp}.before.cfg`);
    // The raw copy restores the device; the store's copy has its secrets masked.
    this.env = { ...run.env, backup: `${this.before} (masked copy in the store: ${run.env.backup})` };
  }

  steps(): StepImplementations<RebuildStepId> {
    return {
      publish: () => this.publish(),
      stage: () => this.stage(),
      'check-staged': () => this.checkStaged(),
      'backup-before': () => this.backupBefore(),
      'console-check': () => this.consoleCheck(),
      erase: () => this.erase(),
      reload: () => this.reload(),
      boot: () => this.boot(),
      login: () => this.login(),
      apply: () => this.apply(),
      save: () => this.save(),
      verify: () => this.verify(),
      'backup-after': () => storeInstalledBaseline(this.#run.ctx, this.#onConsole(), this.#run.text),
    };
  }

  async close(): Promise<void> {
    this.#stopWatch.abort();
    this.#unpublish?.();
    await this.#ssh?.close();
    await this.#console?.close();
    await this.consoleLog?.close();
  }

  get #platform() {
    return this.env.platform;
  }

  get #copyMs() {
    return this.#run.params.timeouts.copy * 1000;
  }

  #overSsh(): CliSession {
    if (!this.#ssh) throw new Error('no SSH session: the stage step opens it');
    return this.#ssh;
  }

  #onConsole(): CliSession {
    if (!this.#console) throw new Error('no console session: the console-check step opens it');
    return this.#console;
  }

  async publish() {
    const { env } = this;
    this.#unpublish = publish(this.#run.served, env.file, this.#run.text);
    return { server: env.server, file: env.file, bytes: env.bytes };
  }

  async stage() {
    this.#ssh = await openTaskSession(this.#run.ctx, { commandMs: this.#copyMs });
    const dialog = stageDialog(this.#run.workflow, this.env);
    const result = await this.#ssh.dialog(dialog, { allowErrors: true });
    this.#mustSay(result.text, this.#run.workflow.copyDone, dialog.command);
  }

  async checkStaged() {
    const { workflow, text } = this.#run;
    const { env } = this;
    const staged = stagedPath(workflow, env);
    const listing = (await this.#overSsh().send(workflow.listFlash.command)).text;
    const size = workflow.listFlash.size(listing, env.file) ?? NaN;
    if (size !== env.bytes) {
      throw new NetopsError(
        'TFTP_TRANSFER_FAILED',
        `${staged} is ${Number.isNaN(size) ? 'missing' : `${size} bytes`}, expected ${env.bytes}`,
        {
          hint: `The staged copy is not the file we served: check free space on ${workflow.flash} and the TFTP log.`,
          host: env.host.name,
        },
      );
    }
    return { size, md5: await this.#checkMd5(staged, text) };
  }

  /**
   * Compares the staged file's MD5 with ours. Releases without the MD5 command refuse it; then the
   * size check stands alone and the step data says so.
   */
  async #checkMd5(staged: string, text: string): Promise<string> {
    const command = this.#run.workflow.md5?.(staged);
    const shown = command ? await this.#overSsh().send(command, { allowErrors: true }) : undefined;
    const found = /\b([0-9a-f]{32})\b/i.exec(shown?.text ?? '')?.[1]?.toLowerCase();
    if (!found) return `not checked: the device has no \`${command ?? 'MD5 command'}\``;
    const ours = createHash('md5').update(text).digest('hex');
    if (found === ours) return found;
    throw new NetopsError('TFTP_TRANSFER_FAILED', `${staged} has MD5 ${found}, the file we served ${ours}`, {
      hint: 'The staged copy is corrupt: delete it and run again.',
      host: this.env.host.name,
    });
  }

  /**
   * The store's (masked) copy is the backup task's, run through the runner on this SSH session; the
   * raw copy that restores the device is read on it too and kept beside the console log.
   */
  async backupBefore() {
    const { ctx } = this.#run;
    if (!ctx.run) throw new Error('startup-config runs its backup through the runner (ctx.run)');
    const params = { method: 'show', reason: 'before startup-config' };
    const backup = await ctx.run('backup', params, { session: this.#overSsh() });
    const running = (await this.#overSsh().send(this.#platform.runningConfig)).text;
    await writeFileAtomic(this.before, running.endsWith('\n') ? running : `${running}\n`, { mode: 0o600 });
    return { store: backup.data?.['path'], before: this.before };
  }

  async consoleCheck() {
    const { ctx } = this.#run;
    const { host, console } = this.env;
    const log = await ConsoleLog.open(this.#logDir, host.name, console);
    this.consoleLog = log;
    this.#console = await openTaskSession(ctx, {
      via: 'console',
      commandMs: this.#copyMs,
      observe: (transport) => log.attach(transport),
    });
    return { console, prompt: this.#console.privilege };
  }

  async erase() {
    const dialog = platformDialog(this.#platform, 'erase');
    this.consoleLog?.mark(`${dialog.command} over SSH`);
    const result = await this.#overSsh().dialog(dialog, { allowErrors: true });
    this.#mustSay(result.text, /^/, dialog.command);
  }

  async reload() {
    const dialog = platformDialog(this.#platform, 'reload');
    this.consoleLog?.mark(`${dialog.command} over SSH`);
    // The console session watches from before the reload is confirmed, so it sees the whole boot.
    this.#booting = this.#watchBoot();
    await this.#overSsh().reload({ until: 'dropped' });
    this.#booting.arm();
    this.#ssh = undefined;
    return { sshClosed: true };
  }

  /** Ends at the login prompt: after an erase and a reload the device asks for a login. */
  #watchBoot(): BootWatch {
    const { ctx, params } = this.#run;
    const booting = this.#onConsole().watchBoot({
      questions: this.#bootQuestions(),
      timeoutMs: params.timeouts.boot * 1000,
      unknownQuestionMs: params.timeouts.unknownQuestion * 1000,
      signal: AbortSignal.any([ctx.signal, this.#stopWatch.signal]),
    });
    booting.booted.catch(() => undefined);
    return booting;
  }

  /** The job's answers first, then the platform's known first-boot questions. */
  #bootQuestions(): BootQuestion[] {
    const { ctx, params } = this.#run;
    const password = this.#firstBoot.credentials?.password;
    const fromJob = params.boot.answers.map((a) => ({
      question: new RegExp(a.question),
      answer: () =>
        typeof a.answer === 'string' ? Promise.resolve(a.answer) : ctx.secret(toSecretRef(a.answer)),
    }));
    return [...fromJob, ...bootQuestionsOf(this.#platform, password, (ref) => ctx.secret(ref))];
  }

  async boot() {
    if (!this.#booting) throw new Error('no boot watch: the reload step starts it');
    const watched = await this.#booting.booted;
    return { answered: watched.answered };
  }

  async login() {
    this.consoleLog?.mark('login');
    await this.#onConsole().start({ as: this.#firstBoot });
  }

  async apply() {
    const { workflow } = this.#run;
    const command = workflow.apply(stagedPath(workflow, this.env));
    const result = await this.#onConsole().send(command, { allowErrors: true, timeoutMs: this.#copyMs });
    this.#mustSay(result.text, workflow.copyDone, command);
  }

  async save() {
    const { save } = this.#platform;
    const result = await this.#onConsole().dialog(save, { allowErrors: true });
    this.#mustSay(result.text, this.#run.workflow.saveDone, save.command);
  }

  async verify() {
    this.verified = await verifyConfig(this.#onConsole(), 'startup', this.#run.text, this.env.host.name);
    return { extra: this.verified.extra.slice(0, 50) };
  }

  /** The command's output must say `what` and hold no line the device marks as an error. */
  #mustSay(output: string, what: RegExp, command: string): void {
    const errors = errorLines(output, this.#platform);
    if (errors.length === 0 && what.test(output)) return;
    const host = this.env.host.name;
    throw new NetopsError(
      'COMMAND_REJECTED',
      `${host}: "${command}" failed: ${errors[0] ?? output.trim().slice(-200)}`,
      {
        hint: 'Read the device output in details (and the console log).',
        host,
        details: { command, errors: errors.slice(0, 50), output: output.slice(-2000) },
      },
    );
  }
}
