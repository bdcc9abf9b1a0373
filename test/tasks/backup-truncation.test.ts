/**
 * A config cut short in transit is refused by what the device itself said about its size, even on
 * the first backup when there is no previous copy to compare with: NX-OS (no `end` line) by the KB
 * its copy progress reported, IOS by `N bytes copied`. The run record keeps both counts.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useBackupLab } from '../helpers/labs.js';

// r1 is ios, r2 nxos; both cut in half on every TFTP upload from the start.
const t = useBackupLab({
  devices: 2,
  platforms: ['ios', 'nxos'],
  configBytes: 20_000,
  bootMs: 100,
  faults: { tftp: 'truncated' },
});

async function run(job: string): Promise<RunRecord & { stdout: string }> {
  const result = await runNetops(['run', job, '--json', '--limit', 'r*,!*-v6'], { cwd: t.dir, env: t.env });
  return { ...runRecordSchema.parse(JSON.parse(result.stdout)), stdout: result.stdout };
}
const stepOf = (record: RunRecord, host: string) => record.hosts.find((h) => h.host === host)!.steps[0]!;
const storedPath = (host: string) => path.join(t.dir, 'store', 'configs', `${host}.cfg`);

describe('truncated uploads', () => {
  it('refuses a cut first backup of NX-OS and IOS with TRUNCATED and records the announced and received bytes', async () => {
    const record = await run(await t.job('first', { method: 'tftp-cli' }));
    for (const host of ['r1', 'r2']) {
      const step = stepOf(record, host);
      expect(step.status).toBe('failed');
      expect(step.error?.code, `${host}: ${step.error?.message}`).toBe('TRUNCATED');
      // NX-OS has no closing line: the count decides. IOS lacks its `end` too, which is said first.
      expect(step.error?.message).toContain(
        host === 'r2' ? 'the copy dialog reported' : 'without its closing line',
      );
      const sizes = step.error?.details?.['sizes'] as Array<Record<string, unknown>>;
      const dialog = sizes.find((s) => s.source === 'copy-dialog');
      expect(dialog).toMatchObject({ truncated: true });
      const announced = dialog?.announced as number;
      const received = dialog?.received as number;
      // The lab cuts exactly half: the device announced about twice what arrived.
      expect(received).toBeGreaterThan(0);
      expect(announced / received).toBeGreaterThan(1.9);
      expect(existsSync(storedPath(host)), `${host} must not be stored`).toBe(false);
      expect(existsSync(path.join(t.dir, 'store', 'rejected', 'configs', `${host}.cfg`))).toBe(true);
    }
    expect(record.exitCode).toBe(1);
  });

  it('stores whole uploads with their counts in the record, and a later cut keeps the last good copy', async () => {
    for (const d of t.lab.devices) d.device.faults = {};
    const good = await run(await t.job('whole', { method: 'tftp-cli' }));
    expect(good.summary.failed).toBe(0);
    for (const host of ['r1', 'r2']) {
      const sizes = stepOf(good, host).data?.['sizes'] as Array<Record<string, unknown>>;
      const dialog = sizes.find((s) => s.source === 'copy-dialog');
      expect(dialog, host).toMatchObject({ truncated: false });
      expect(dialog?.received as number).toBeGreaterThan(15_000);
    }
    const before = {
      r1: await readFile(storedPath('r1'), 'utf8'),
      r2: await readFile(storedPath('r2'), 'utf8'),
    };

    for (const d of t.lab.devices) d.device.faults = { tftp: 'truncated' };
    const cut = await run(await t.job('cut', { method: 'tftp-cli' }));
    for (const host of ['r1', 'r2'] as const) {
      expect(stepOf(cut, host).error?.code).toBe('TRUNCATED');
      expect(await readFile(storedPath(host), 'utf8')).toBe(before[host]);
    }
    for (const d of t.lab.devices) d.device.faults = {};
  });

  it('records the IOS show running-config header count (Current configuration : N bytes)', async () => {
    const record = await run(await t.job('show', { method: 'show' }));
    const sizes = stepOf(record, 'r1').data?.['sizes'] as Array<Record<string, unknown>>;
    expect(sizes).toEqual([expect.objectContaining({ source: 'config-header', truncated: false })]);
  });

  it('refuses a cut NX-OS upload triggered over SNMP, where nothing announces a size, and keeps the good copy', async () => {
    const before = await readFile(storedPath('r2'), 'utf8');
    t.lab.devices[1]!.device.faults = { tftp: 'truncated' };
    const record = await run(await t.job('snmp-cut', { method: 'tftp-snmp' }));
    t.lab.devices[1]!.device.faults = {};
    const step = stepOf(record, 'r2');
    expect(step.error?.code, step.error?.message).toBe('TRUNCATED');
    expect(step.error?.message).toMatch(/the uploaded file stops in the middle of line \d+/);
    expect(await readFile(storedPath('r2'), 'utf8')).toBe(before);
  });
});
