/**
 * What must never happen to a backup: a bad copy replacing a good one, or one broken device
 * holding up or failing the others. Each failure is reported with its reason in the run record.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabDevice } from '../../src/lab/loopback-lab.js';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { startSmtpSink } from '../notify/smtp-sink.js';
import { useBackupLab } from '../helpers/labs.js';

const t = useBackupLab({ devices: 4, platforms: ['ios'], configBytes: 20_000, bootMs: 100 });
const device = (name: string): LabDevice => t.lab.devices.find((d) => d.name === name)!;
/** Reloads a device and resolves once it has booted (the lab emits `booted`). */
const reloaded = async (name: string) => {
  const booted = once(device(name).device, 'booted');
  device(name).device.reload('test');
  await booted;
};
const stored = (host: string) => readFile(path.join(t.dir, 'store', 'configs', `${host}.cfg`), 'utf8');

async function run(job: string): Promise<RunRecord> {
  const result = await runNetops(['run', job, '--json', '--limit', 'r*,!*-v6'], { cwd: t.dir, env: t.env });
  return runRecordSchema.parse(JSON.parse(result.stdout));
}
const hostResult = (record: RunRecord, host: string) => record.hosts.find((h) => h.host === host)!;

beforeAll(async () => {
  const first = await run(await t.job('baseline', { method: 'tftp-cli' }));
  expect(first.summary.failed).toBe(0);
});

describe('a suspicious config never replaces the last good one', () => {
  it('rejects a truncated upload and a config shrunk by 60 %, keeps them aside, and the others still succeed', async () => {
    const good = { r1: await stored('r1'), r2: await stored('r2') };
    device('r1').device.faults = { tftp: 'truncated' };
    // r2 lost most of its configuration: a reload from a startup-config 40 % of the size.
    const body = device('r2').device.body();
    device('r2').device.setStartup(
      `${body.slice(0, Math.floor(body.length * 0.4)).replace(/\n[^\n]*$/, '')}\nend\n`,
    );
    await reloaded('r2');

    const smtp = await startSmtpSink('netops', 'pw-mail');
    const notify = `notify:\n  email: { to: noc@example.net, from: netops@example.net, host: 127.0.0.1, port: ${smtp.port}, starttls: false, auth: { user: netops, pass: pw-mail } }\n`;
    const record = await run(await t.job('suspicious', { method: 'tftp-cli' }, { extra: notify }));
    await smtp.close();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.subject).toContain('2 failed');
    expect(smtp.received[0]?.text).toMatch(/r1[\s\S]*TRUNCATED[\s\S]*config rejected/);
    expect(smtp.received[0]?.text).toContain('--accept-shrink');
    device('r1').device.faults = {};
    const r1 = hostResult(record, 'r1').steps[0]!;
    const r2 = hostResult(record, 'r2').steps[0]!;
    expect(r1.error).toMatchObject({ code: 'TRUNCATED', details: { reason: 'TRUNCATED' } });
    expect(r2.error).toMatchObject({ code: 'CONFIG_REJECTED', details: { reason: 'SHRUNK' } });
    expect(r2.error?.hint).toContain('--accept-shrink');
    expect(await stored('r1')).toBe(good.r1);
    expect(await stored('r2')).toBe(good.r2);
    expect(existsSync(path.join(t.dir, 'store', 'rejected', 'configs', 'r1.cfg'))).toBe(true);
    expect(existsSync(path.join(t.dir, 'store', 'rejected', 'configs', 'r2.cfg'))).toBe(true);
    expect(hostResult(record, 'r3').status).not.toBe('failed');
    expect(hostResult(record, 'r4').status).not.toBe('failed');
    const tracked = execFileSync('git', ['-C', path.join(t.dir, 'store'), 'ls-files'], { encoding: 'utf8' });
    expect(tracked).not.toContain('rejected/');
    // The engineer checks r2, agrees it lost that configuration, and accepts it once.
    const accepted = await runNetops(
      ['run', 'suspicious.yaml', '--json', '--limit', 'r2', '--accept-shrink', 'r2'],
      {
        cwd: t.dir,
        env: t.env,
      },
    );
    expect(runRecordSchema.parse(JSON.parse(accepted.stdout)).hosts[0]?.status).toBe('changed');
    expect((await stored('r2')).length).toBeLessThan(good.r2.length / 2);
    // r2 gets its configuration back for the next tests.
    device('r2').device.setStartup(body);
    await reloaded('r2');
  });

  it('a device that never uploads fails with what is known (its words, no upload from its addresses); the others succeed', async () => {
    device('r3').device.faults = { tftp: 'never-sent' };
    const record = await run(await t.job('never', { method: 'tftp-cli', uploadTimeoutMs: 2000 }));
    device('r3').device.faults = {};
    const r3 = hostResult(record, 'r3').steps[0]!;
    expect(r3.status).toBe('failed');
    // What is known, not a refused command: the device's words, no upload from its addresses, nothing refused.
    expect(r3.error?.code).toBe('TFTP_NO_UPLOAD');
    expect(r3.error?.message).toMatch(
      /^r3 gave up on the upload: it said "%Error opening tftp:\/\/127\.0\.0\.1\/r3-\w+-confg \(Timed out\)"/,
    );
    expect(r3.error?.message).toMatch(
      /no upload of r3-\w+-confg came from its addresses \(127\.0\.0\.1[^)]*\)/,
    );
    expect(r3.error?.message).toContain('no upload from any other source reached the server either');
    expect(r3.error?.hint).not.toMatch(/software release/);
    expect(['r1', 'r2', 'r4'].map((h) => hostResult(record, h).status)).not.toContain('failed');
  });

  it('the seed quirk in the loopback lab: over IPv6 the device times out, and the hint gives the seed fix', async () => {
    // As in the seed, Loopback0 has an IPv6 address and `ip tftp source-interface Loopback0` is set.
    const r4 = device('r4').device;
    expect(r4.body()).toMatch(
      /^interface Loopback0\n ip address \S+ 255\.255\.255\.255\n ipv6 address \S+$/m,
    );
    const before = /^ip tftp source-interface .*$/m.exec(r4.body())![0];
    r4.merge('ip tftp source-interface Loopback0\n', 'test');
    const job = await t.job('seed-loopback', { method: 'tftp-cli', uploadTimeoutMs: 8000 });
    const result = await runNetops(['run', job, '--json', '--limit', 'r4-v6'], { cwd: t.dir, env: t.env });
    r4.merge(`${before}\n`, 'test');
    const step = runRecordSchema.parse(JSON.parse(result.stdout)).hosts[0]!.steps[0]!;
    expect(step.error?.code).toBe('TFTP_NO_UPLOAD');
    expect(step.error?.message).toMatch(
      /^r4-v6 gave up on the upload: it said "%Error opening tftp:\/\/\[::1\]\/\S+ \(Timed out\)"; no upload of \S+ came from its addresses \(::1/,
    );
    expect(step.error?.hint).toContain('no ip tftp source-interface Loopback0');
    expect(step.error?.hint).toContain('even when the interface has an IPv6 address');
    expect(step.error?.hint).not.toMatch(/software release/);
  });

  it('an SNMP copy that times out on the device surfaces ccCopyFailCause', { timeout: 60_000 }, async () => {
    // The device is told a server address where nothing listens, as with a wrong route or ACL.
    const job = await t.job(
      'snmp-timeout',
      { method: 'tftp-snmp', uploadTimeoutMs: 30000 },
      { tftp: { advertise: { ipv4: '127.0.0.9' } } },
    );
    const record = await runNetops(['run', job, '--json', '--limit', 'r4'], { cwd: t.dir, env: t.env }).then(
      (r) => runRecordSchema.parse(JSON.parse(r.stdout)),
    );
    const r4 = hostResult(record, 'r4').steps[0]!;
    expect(r4.error?.code).toBe('SNMP_COPY_FAILED');
    expect(r4.error?.message).toMatch(/timeout/);
  });
});

describe("a device that drops the session gets the job's retries", () => {
  it('tries it 1 + retries times, then fails it alone with the reason; a good device is tried once', async () => {
    device('r3').device.faults = { closeMidOutput: true };
    device('r3').device.log.length = 0;
    try {
      const record = await run(
        await t.job('retried', { method: 'show' }, { extra: 'retries: { count: 2, backoff: 50ms }\n' }),
      );
      const r3 = hostResult(record, 'r3').steps[0]!;
      expect(r3.status).toBe('failed');
      expect(r3.error?.code).toBe('CLOSED_BY_PEER');
      expect(r3.attempts).toBe(3);
      expect(device('r3').device.log.filter((e) => e.line === 'show running-config')).toHaveLength(3);
      expect(hostResult(record, 'r1').steps[0]).toMatchObject({ status: 'ok', attempts: 1 });
    } finally {
      device('r3').device.faults = {};
    }
  });
});
