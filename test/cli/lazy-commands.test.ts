/**
 * `netops --version` and `--help` load no command tree, a command's `--help` that command's flags
 * only: what a command does (src/cli/actions/, the runner, zod, ssh2...) is loaded when that command
 * runs; a plan loads no SSH, template or mail package, nor the runner or the `yaml` library; the
 * installed bin answers `--version` with no ES module at all. Checked by logging every module the process loads; no
 * timing (the figures are `npm run bench -- startup` and `npm run bench -- plan`). Every command but those two runs
 * from the CLI's bundle (scripts/bundle.mjs): each check is made both on the modules loaded one by one (main.js,
 * NETOPS_NO_BUNDLE=1) and on the bundle's modules as it initialises them (test/fixtures/bundle-trace/bin.mjs).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { netopsBin, runNetops } from '../helpers/netops-cli.js';

const register = fileURLToPath(new URL('../fixtures/import-log/register.mjs', import.meta.url));
const traceBundle = fileURLToPath(new URL('../fixtures/bundle-trace/bin.mjs', import.meta.url));
const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-lazy-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The build under test (NETOPS_BIN may name another than ./dist). */
const dist = path.dirname(path.dirname(netopsBin));
let runs = 0;
/** How netops' modules are loaded: one by one (main.js), or from the CLI's bundle. */
type How = 'one by one' | 'bundled';

/**
 * Runs netops and returns the modules it loaded (from the bundle: initialised): packages by name, our
 * files relative to dist/.
 */
async function modulesLoadedBy(
  args: readonly string[],
  env: Record<string, string> = {},
  how: How = 'one by one',
): Promise<{ code: number | null; modules: string[] }> {
  const log = path.join(dir, `imports-${++runs}.log`);
  const result = await runNetops(args, {
    env: {
      ...env,
      NODE_OPTIONS: `--import=${register}`,
      NETOPS_IMPORT_LOG: log,
      NETOPS_NO_BUNDLE: how === 'one by one' ? '1' : undefined,
    },
    ...(how === 'bundled' ? { wrap: [process.execPath, traceBundle] } : {}),
  });
  const urls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const modules = urls
    .filter((url) => url.startsWith('file:'))
    .map((url) => {
      const file = fileURLToPath(url);
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      return pkg ? pkg[1]! : path.relative(dist, file);
    })
    .filter((name) => name !== path.relative(dist, traceBundle));
  return { code: result.code, modules: [...new Set(modules)] };
}

/** An inventory of one IOS host r1 at `r1` and a job `name` over it (`body`: the job's lines after `inventory:`). */
async function oneHostJob(name: string, r1: string, body: string): Promise<string> {
  await writeFile(
    path.join(dir, `${name}-inventory.yaml`),
    'credentials:\n  lab: { username: u, password: { env: NETOPS_LAZY_PW } }\n' +
      `hosts:\n  r1: { address: ${r1}, platform: ios, credentials: lab }\n`,
  );
  const job = path.join(dir, `${name}.yaml`);
  await writeFile(job, `inventory: ${name}-inventory.yaml\n${body}`);
  return job;
}

const heavy = ['zod', 'yaml', 'js-yaml', 'ssh2', 'net-snmp', 'nodemailer', 'p-queue', 'liquidjs', 'diff'];

describe('netops loads a command only when it runs', () => {
  it('netops --version is answered by the CommonJS bin alone: no ES module, no command tree', async () => {
    const { code, modules } = await modulesLoadedBy(['--version']);
    expect(code).toBe(0);
    expect(modules.filter((m) => !m.startsWith('node:'))).toEqual(['cli/bin.cjs']);
  });

  it('the installed netops is that bin, and main.js run directly gives the same version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
      bin: { netops: string };
    };
    expect(pkg.bin.netops).toBe('dist/cli/bin.cjs');
    const viaBin = await runNetops(['-V']);
    const viaMain = await promisify(execFile)(process.execPath, [
      path.join(dist, 'cli/main.js'),
      '--version',
    ]);
    expect([viaBin.stdout, viaMain.stdout]).toEqual([`${pkg.version}\n`, `${pkg.version}\n`]);
  });

  it.each([['--help'], ['-h']])(
    'netops %s prints from the command catalog: no commander, no command',
    async (flag) => {
      const { code, modules } = await modulesLoadedBy([flag]);
      expect(code).toBe(0);
      expect(modules.filter((m) => !m.startsWith('node:'))).toEqual([
        'cli/bin.cjs',
        'cli/main.js',
        'cli/version.js',
        'core/version.js',
        'cli/top-help.js',
        'cli/commands/index.js',
      ]);
    },
  );
});

describe.each<How>(['one by one', 'bundled'])(
  'netops loads a command only when it runs (modules %s)',
  (how) => {
    it('netops run JOB loads the run command and no other command module', async () => {
      const { modules } = await modulesLoadedBy(['run', '--help'], {}, how);
      expect(modules.filter((m) => m.startsWith('cli/commands/')).sort()).toEqual([
        'cli/commands/index.js',
        'cli/commands/run.js',
      ]);
    });

    const helpAndVersion = [
      ['-V', '--help'],
      ['help'],
      ['run', '--help'],
      ['lab', 'up', '--help'],
      ['report', 'inventory', '--help'],
    ];
    it.each(helpAndVersion.map((args) => [args.join(' '), args] as const))(
      'netops %s loads no action, task, runner or heavy package',
      async (_, args) => {
        const { code, modules } = await modulesLoadedBy(args, {}, how);
        expect(code).toBe(0);
        expect(modules).toContain('cli/program.js');
        expect(modules.filter((m) => m.startsWith('cli/actions/'))).toEqual([]);
        expect(
          modules.filter((m) => /^(tasks|runner|platforms|store|lab|transport|tftp|snmp)\//.test(m)),
        ).toEqual([]);
        expect(modules.filter((m) => heavy.includes(m))).toEqual([]);
      },
    );

    it('netops tasks loads its action and the task registry when it runs', async () => {
      const { code, modules } = await modulesLoadedBy(['tasks'], {}, how);
      expect(code).toBe(0);
      expect(modules).toContain('cli/actions/tasks.js');
      expect(modules).toContain('tasks/registry.js');
      expect(modules.filter((m) => m.startsWith('cli/actions/') && m !== 'cli/actions/tasks.js')).toEqual([]);
    });

    it('netops run JOB --plan loads neither the run itself nor ssh2, liquidjs or nodemailer', async () => {
      const job = await oneHostJob('plan', '198.18.0.1', 'steps:\n  - task: backup\n  - task: reachable\n');
      const { code, modules } = await modulesLoadedBy(['run', job, '--plan'], { NETOPS_LAZY_PW: 'x' }, how);
      expect(code).toBe(0);
      expect(modules).toContain('cli/actions/run.js');
      expect(modules).not.toContain('cli/actions/run-job.js');
      expect(
        modules.filter((m) => ['ssh2', 'liquidjs', 'nodemailer', 'net-snmp', 'yaml', 'p-queue'].includes(m)),
      ).toEqual([]);
      // Each task's definition plans; what it needs to talk to a device loads with its first run.
      const runtime = [
        'runner/runner.js',
        'platforms/session.js',
        'channel/channel.js',
        'transport/open.js',
        'tftp/server.js',
        'store/git-store.js',
        'snmp/session.js',
        'report/report.js',
        'tasks/backup/save.js',
        'tasks/startup-config/run.js',
      ];
      expect(modules.filter((m) => runtime.includes(m))).toEqual([]);
      // Only the tasks the job names (and those whose host data the inventory is checked against),
      // and only the job's own sections' schemas: not the registry of every task.
      expect(modules).toContain('tasks/reachable.js');
      const unnamed = [
        'tasks/registry.js',
        'tasks/collect.js',
        'tasks/command.js',
        'tasks/startup-config.js',
      ];
      const sections = [
        'notify/settings.js',
        'queue/settings.js',
        'store/vault-settings.js',
        'runner/stale-after.js',
      ];
      expect(modules.filter((m) => [...unnamed, 'tasks/restore.js', ...sections].includes(m))).toEqual([]);
    });

    it('netops run JOB, run off a terminal by a job without notify, loads no alerts, no progress bar, no other task', async () => {
      // Port 1 of the loopback: nothing listens, the connection is refused at once.
      const job = await oneHostJob(
        'run',
        '127.0.0.1, port: 1',
        'store: { dir: store }\nsteps:\n  - task: backup\n    params: { method: show }\n',
      );
      const { code, modules } = await modulesLoadedBy(
        ['run', job],
        {
          NETOPS_LAZY_PW: 'x',
          NETOPS_STATE_DIR: path.join(dir, 'state'),
        },
        how,
      );
      expect(code).toBe(1); // r1 failed: refused, which the run's end counted
      // The reporter is loaded, its progress bar not; a job without notify loads nothing of notify/.
      expect(modules).toEqual(expect.arrayContaining(['runner/runner.js', 'cli/reporter.js']));
      expect(modules.filter((m) => m.startsWith('notify/'))).toEqual([]);
      expect(modules.filter((m) => ['nodemailer', 'cli-progress'].includes(m))).toEqual([]);
      // The job's task and those whose host data the inventory is checked against: no other task's
      // definition (restore, startup-config...), nor the registry of every task.
      const definitions = [
        'registry',
        'reachable',
        'backup',
        'collect',
        'command',
        'config',
        'startup-config',
        'restore',
      ];
      expect(modules.filter((m) => definitions.some((name) => m === `tasks/${name}.js`)).sort()).toEqual([
        'tasks/backup.js',
        'tasks/config.js',
      ]);
    });
  },
);

describe('the bundle initialises a module when the modules loaded one by one would load it', () => {
  it.each([['tasks'], ['run', '--help'], ['run', 'JOB', '--plan']])('netops %s', async (...args) => {
    const job = await oneHostJob('same', '198.18.0.1', 'steps:\n  - task: backup\n  - task: collect\n');
    const argv = args.map((arg) => (arg === 'JOB' ? job : arg));
    const env = { NETOPS_LAZY_PW: 'x' };
    const [alone, bundled] = await Promise.all([
      modulesLoadedBy(argv, env, 'one by one'),
      modulesLoadedBy(argv, env, 'bundled'),
    ]);
    expect([bundled.code, alone.code]).toEqual([0, 0]);
    // The bin itself is the only difference: it imports main.js, the bundle holds main.js.
    expect(bundled.modules.sort()).toEqual(alone.modules.filter((m) => m !== 'cli/bin.cjs').sort());
  });
});
