/**
 * A fallback never hides a failure: a host whose TFTP upload failed and that was then read with
 * `show` is backed up, and the summary, the run record and the mail say "tftp-cli failed (reason),
 * backed up with show". With `fallback: fail` the copy is still stored and the run exits 1.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { startSmtpSink } from '../notify/smtp-sink.js';
import { useBackupLab } from '../helpers/labs.js';

const t = useBackupLab({ devices: 2, platforms: ['ios'], bootMs: 100, snmp: false });
const device = (name: string): LabDevice => t.lab.devices.find((d) => d.name === name)!;
const order = ['tftp-cli', 'show'];

describe('method auto, tftp-cli fails, show works', () => {
  it('warn (the default): exit 0, and summary, record and mail name the failure and the fallback', async () => {
    device('r1').device.faults = { tftp: 'never-sent' };
    const smtp = await startSmtpSink('netops', 'pw-mail');
    const notify = `notify:\n  email: { to: noc@example.net, from: netops@example.net, host: 127.0.0.1, port: ${smtp.port}, starttls: false, auth: { user: netops, pass: pw-mail } }\n`;
    const job = await t.job('fallback', { method: 'auto', order, uploadTimeoutMs: 3000 }, { extra: notify });
    const result = await runNetops(['run', job, '--limit', 'r1,r2'], { cwd: t.dir, env: t.env });
    await smtp.close();
    device('r1').device.faults = {};

    expect(result.code, result.stderr).toBe(0);
    const summary = result.stdout;
    expect(summary).toMatch(/2 hosts, 0 ok, 2 changed, 0 failed, 0 skipped, 1 with warnings/);
    expect(summary).toMatch(
      /warning r1: tftp-cli failed \((TFTP_NO_UPLOAD|COMMAND_REJECTED): [^\n]*\), backed up with show/,
    );
    expect(summary).not.toMatch(/warning r2/);

    const recordPath = /record (\S+)/.exec(summary)![1]!;
    const record = runRecordSchema.parse(JSON.parse(await readFile(path.resolve(t.dir, recordPath), 'utf8')));
    const r1 = record.hosts.find((h) => h.host === 'r1')!;
    expect(r1.steps[0]!.data?.['method']).toBe('show');
    expect(r1.steps[0]!.warnings).toEqual([
      expect.stringMatching(/^tftp-cli failed \(.+\), backed up with show$/),
    ]);
    expect(record.summary.withWarnings).toBe(1);

    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.subject).toContain('1 with warnings (r1)');
    expect(smtp.received[0]?.text).toMatch(
      /WARNINGS \(1\)\s+r1 {2}backup: tftp-cli failed \(.+\), backed up with show/,
    );
    const stored = await readFile(path.join(t.dir, 'store', 'configs', 'r1.cfg'), 'utf8');
    expect(stored).toContain('hostname r1');
  });

  it('fail: the copy is stored, the host fails with FALLBACK_USED, exit 1', async () => {
    device('r2').device.faults = { tftp: 'never-sent' };
    const job = await t.job('fallback-fail', {
      method: 'auto',
      order,
      uploadTimeoutMs: 3000,
      fallback: 'fail',
    });
    const result = await runNetops(['run', job, '--json', '--limit', 'r2'], { cwd: t.dir, env: t.env });
    device('r2').device.faults = {};
    expect(result.code, result.stderr).toBe(1);
    const step = runRecordSchema.parse(JSON.parse(result.stdout)).hosts[0]!.steps[0]!;
    expect(step.status).toBe('failed');
    expect(step.error?.code).toBe('FALLBACK_USED');
    expect(step.error?.message).toMatch(/^tftp-cli failed \(.+\), backed up with show; the copy is stored/);
    expect(step.error?.hint).toContain('fallback: warn');
  });
});

describe('a refused setup command', () => {
  it('is a note under the host, not a warning: exit 0, no "with warnings", no mail', async () => {
    device('r1').device.faults = { refuseTerminal: ['width'] };
    const smtp = await startSmtpSink('netops', 'pw-mail');
    const notify = `notify:\n  email: { to: noc@example.net, from: netops@example.net, host: 127.0.0.1, port: ${smtp.port}, starttls: false, auth: { user: netops, pass: pw-mail } }\n`;
    const job = await t.job('refused-width', { method: 'show' }, { extra: notify });
    const result = await runNetops(['run', job, '--limit', 'r1'], { cwd: t.dir, env: t.env });
    await smtp.close();
    device('r1').device.faults = {};

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/note: "terminal width \d+" was refused/);
    expect(result.stdout).not.toMatch(/warning:|with warnings/);
    expect(result.stdout).toMatch(/ warnings=0 /); // the scrape-able summary line
    expect(smtp.received).toHaveLength(0);
    const recordPath = /record (\S+)/.exec(result.stdout)![1]!;
    const record = runRecordSchema.parse(JSON.parse(await readFile(path.resolve(t.dir, recordPath), 'utf8')));
    const step = record.hosts[0]!.steps[0]!;
    expect(step.notes).toEqual([expect.stringMatching(/^"terminal width \d+" was refused/)]);
    expect(step.warnings).toBeUndefined();
    expect(record.summary.withWarnings).toBeUndefined();
  });
});
