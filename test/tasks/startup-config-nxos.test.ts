/**
 * The Nexus 7000 sequence against simulated NX-OS devices: staged over TFTP, write erase, reload,
 * and the rest on the console through the lab's terminal server. Faults are injected at the device:
 * a reload that never comes back, a boot question nobody knows, an error in the merge.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/runner/run-record.js';
import { compareConfigs } from '../../src/tasks/startup-config/compare.js';
import { renderConfig } from '../../src/tasks/startup-config/source.js';
import { useStartupLab } from '../helpers/startup-lab.js';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { loadHosts, loadJobFile } from '../../src/cli/load.js';

const t = useStartupLab({
  devices: 6,
  platforms: ['ios', 'nxos', 'nxos', 'nxos', 'nxos', 'nxos'],
  bootMs: 300,
});
const params = {
  template: 'fixtures/n7k.liquid',
  vars: { core: 'core1' },
  timeouts: { boot: 20, unknownQuestion: 1 },
};

const stepOf = (record: RunRecord) => record.hosts[0]!.steps[0]!;

/** What the template renders for this host (the intended config). */
async function intended(job: string, host: string): Promise<string> {
  const loaded = await loadJobFile(job);
  const { hosts } = await loadHosts(loaded.inventoryFiles, [host], () => undefined);
  return renderConfig(hosts[0]!, { ...params, file: undefined, secrets: {} }, t.dir).text;
}

/** Rewrites what the device prints on its console from now on (fault injection at the device). */
function onConsoleOutput(device: LabDevice, rewrite: (text: string) => string): void {
  const term = device.console.term;
  const print = term.print.bind(term);
  term.print = (text: string) => print(rewrite(text));
}

const viaOf = (device: LabDevice, pattern: RegExp) =>
  device.device.log.filter((e) => pattern.test(e.line)).map((e) => e.via);

describe('nxos startup-config through the terminal server', () => {
  it('erases, reloads, and finishes on the console: running and startup are the intended config', async () => {
    const job = await t.job('n7k', params);
    const record = await t.run(job, 'r2');
    const step = stepOf(record);
    expect(step.status, JSON.stringify(step.error)).toBe('changed');

    const want = await intended(job, 'r2');
    const d = t.device('r2').device;
    for (const [name, actual] of [
      ['startup', d.startup ?? ''],
      ['running', d.body()],
    ] as const) {
      expect(compareConfigs(want, actual, undefined), name).toEqual({ missing: [], extra: [] });
    }
    // SSH carried the erase and the reload and then went away; the console carried on.
    expect(viaOf(t.device('r2'), /^(write erase|reload)$/)).toEqual(['ssh', 'ssh']);
    expect(viaOf(t.device('r2'), /^copy bootflash:netops-r2\.cfg running-config$/)).toEqual(['console']);
    expect(viaOf(t.device('r2'), /^copy running-config startup-config$/)).toEqual(['console']);
    const data = step.data as { steps: { id: string; data?: Record<string, unknown> }[]; consoleLog: string };
    expect(data.steps.find((s) => s.id === 'reload')?.data).toEqual({ sshClosed: true });
    // The backup before the erase is the backup task's, run through the runner.
    expect(data.steps.find((s) => s.id === 'backup-before')?.data).toEqual({
      store: 'configs/r2.cfg',
      before: expect.stringMatching(/r2-\w+\.before\.cfg$/),
    });
    // The simulated release has no `show file ... md5sum`: the size check stands and the data says so.
    expect(data.steps.find((s) => s.id === 'check-staged')?.data).toEqual({
      size: Buffer.byteLength(want),
      md5: expect.stringMatching(/^not checked/),
    });
    const answered = data.steps.find((s) => s.id === 'boot')?.data?.['answered'] as string[];
    expect(answered.join('\n')).toMatch(
      /Abort Power On Auto Provisioning[\s\S]*password for "admin"[\s\S]*basic configuration dialog/,
    );
    // The console log kept the boot, and no password.
    const log = readFileSync(data.consoleLog, 'utf8');
    expect(log).toContain('System is coming up');
    expect(log).toContain('login:');
    expect(log).not.toContain(t.lab.spec.password);
  });

  it('stops with a clear state when the reload never comes back', async () => {
    const r3 = t.device('r3');
    (r3.device as { bootMs: number }).bootMs = 3_600_000;
    const record = await t.run(
      await t.job('n7k-hang', { ...params, timeouts: { boot: 2, unknownQuestion: 1 } }),
      'r3',
    );
    const error = stepOf(record).error!;
    expect(error.code).toBe('WORKFLOW_FAILED');
    expect(error.message).toMatch(
      /stopped at step 8\/13 "watch the boot.*after the point of no return.*within 2s/,
    );
    expect(error.details).toMatchObject({
      stoppedAt: 'boot',
      pointOfNoReturnPassed: true,
      completed: ['publish', 'stage', 'check-staged', 'backup-before', 'console-check', 'erase', 'reload'],
      deviceState: expect.stringMatching(/empty startup-config.*bootflash:netops-r3\.cfg/),
      next: expect.stringMatching(/copy bootflash:netops-r3\.cfg running-config/),
    });
    expect(existsSync(error.details!['consoleLog'] as string)).toBe(true);
    expect(r3.device.startup).toBeUndefined();
  });

  it('does not answer a boot question it does not know', async () => {
    const r4 = t.device('r4');
    onConsoleOutput(r4, (text) =>
      text.replace(
        /Abort Power On Auto Provisioning \[.*\] \(yes\/skip\/no\)\[no\]: /,
        'Would you like to abort Power On Auto Provisioning (yes/skip/no/later)[no]: ',
      ),
    );
    const record = await t.run(await t.job('n7k-variant', params), 'r4');
    const error = stepOf(record).error!;
    expect(error.details).toMatchObject({
      stoppedAt: 'boot',
      cause: { code: 'DIALOG_UNEXPECTED', message: expect.stringContaining('(yes/skip/no/later)[no]:') },
    });
    expect(error.hint).toMatch(/boot\.answers/);
  });

  it('stops before saving when the merge of the staged file reports errors', async () => {
    const r5 = t.device('r5');
    let injected = false;
    r5.device.once('reload', () =>
      onConsoleOutput(r5, (text) => {
        if (injected || !text.startsWith('Copy complete, now saving')) return text;
        injected = true;
        return `Syntax error while parsing 'switchport mode trunk'\n\n${text}`;
      }),
    );
    const record = await t.run(await t.job('n7k-merge-error', params), 'r5');
    const error = stepOf(record).error!;
    expect(error.code).toBe('WORKFLOW_FAILED');
    expect(error.details).toMatchObject({ stoppedAt: 'apply', pointOfNoReturnPassed: true });
    expect(error.message).toContain("Syntax error while parsing 'switchport mode trunk'");
    expect(error.hint).toMatch(/nothing saved/);
    expect(r5.device.startup).toBeUndefined();
    expect(viaOf(r5, /^copy running-config startup-config$/)).toEqual([]);
  });

  it('stops before erasing when the console line does not answer, device untouched', async () => {
    const r6 = t.device('r6');
    const startup = r6.device.startup;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const record = await t.run(await t.job('n7k-console-dead', params), 'r6', (host) => ({
      ...host,
      console: { host: '127.0.0.1', port },
    }));
    const error = stepOf(record).error!;
    expect(error.code).toBe('CONNECT_REFUSED');
    expect(error.message).toMatch(
      /stopped at step 5\/13 "log in on the console.*before the point of no return/,
    );
    expect(error.details).toMatchObject({ stoppedAt: 'console-check', pointOfNoReturnPassed: false });
    expect(error.hint).toMatch(/Device state: unchanged/);
    expect(r6.device.startup).toBe(startup);
    expect(viaOf(r6, /^write erase$/)).toEqual([]);
  });
});
