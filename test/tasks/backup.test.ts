/**
 * The nightly backup end to end, as cron runs it: the built `netops` binary, simulated ios and
 * nxos devices reached over IPv4 and IPv6, our TFTP server, and a real git store.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useBackupLab } from '../helpers/labs.js';

const t = useBackupLab({ devices: 2, platforms: ['ios', 'nxos'], configBytes: 20_000, bootMs: 200 });
const git = (...args: string[]) =>
  execFileSync('git', ['-C', path.join(t.dir, 'store'), ...args], { encoding: 'utf8' });

async function run(job: string, ...args: string[]): Promise<RunRecord & { stderr: string }> {
  const result = await runNetops(['run', job, '--json', ...args], { cwd: t.dir, env: t.env });
  expect(result.stderr).toBe('');
  return { ...runRecordSchema.parse(JSON.parse(result.stdout)), stderr: result.stderr };
}

const stepOf = (record: RunRecord, host: string) => record.hosts.find((h) => h.host === host)!.steps[0]!;

describe.each(['tftp-cli', 'tftp-snmp', 'show'])('method %s', (method) => {
  it('backs up ios and nxos over IPv4 and IPv6', async () => {
    const record = await run(await t.job(`nightly-${method}`, { method }));
    for (const host of ['r1', 'r1-v6', 'r2', 'r2-v6']) {
      const step = stepOf(record, host);
      expect(step.status, `${host}: ${step.error?.message}`).not.toBe('failed');
      expect(step.data).toMatchObject({ method, path: `configs/${host}.cfg` });
    }
    expect(record.summary.failed).toBe(0);
  });
});

describe('the stored config', () => {
  it('is the running-config with every secret masked and every other line kept', async () => {
    const record = await run(await t.job('stored', { method: 'tftp-cli' }));
    expect(record.summary.failed).toBe(0);
    for (const device of t.lab.devices) {
      const stored = await readFile(path.join(t.dir, 'store', 'configs', `${device.name}.cfg`), 'utf8');
      const spec = t.lab.spec;
      for (const secret of [spec.password, spec.enableSecret, spec.readCommunity, spec.writeCommunity]) {
        expect(stored, `${device.name} leaks ${secret}`).not.toContain(secret);
      }
      expect(stored).not.toMatch(/\$[15]\$\S+/); // type-5 hashes
      expect(stored).not.toMatch(/ 7 [0-9A-F]{6,}\b/); // type-7 encodings
      const volatile =
        /^(Building configuration|Current configuration|! (Last|NVRAM|No) config|ntp clock-period|!Time:|!Running configuration last done)/;
      const secretish =
        /(secret|password|community|key|pre-shared|md5 |auth |^snmp-server host |hmac-sha-256 |sap pmk |mail server )/i;
      const storedLines = new Set(stored.split('\n'));
      const kept = device.device
        .body()
        .split('\n')
        .filter((line) => line.trim() && !volatile.test(line) && !secretish.test(line));
      expect(kept.length).toBeGreaterThan(100);
      expect(kept.filter((line) => !storedLines.has(line))).toEqual([]);
      // Keyed-hash placeholders by default (store.placeholders: keyed).
      expect(stored).toMatch(/<secret:[0-9a-f]{6}>/);
      expect(stored).not.toContain('<removed>');
    }
  });
});

describe('history', () => {
  it('a config change makes one commit whose diff shows exactly that change; no change, no commit', async () => {
    const job = await t.job('history', { method: 'tftp-cli' });
    await run(job);
    const before = git('rev-list', '--count', 'HEAD').trim();
    const again = await run(job);
    expect(again.summary.changed).toBe(0);
    expect(git('rev-list', '--count', 'HEAD').trim()).toBe(before);

    t.lab.devices[0]!.device.merge('interface Loopback99\n description nightly-test\n', 'test');
    const changed = await run(job);
    expect(
      changed.hosts
        .filter((h) => h.status === 'changed')
        .map((h) => h.host)
        .sort(),
    ).toEqual(['r1', 'r1-v6']);
    expect(git('rev-list', '--count', 'HEAD').trim()).toBe(String(Number(before) + 1));
    const diff = git('show', '--format=', 'HEAD', '--', 'configs/r1.cfg');
    const added = diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    const removed = diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    // IOS closes the new interface section with its `!` separator.
    expect(added).toEqual(['+interface Loopback99', '+ description nightly-test', '+!']);
    expect(removed).toEqual([]);
    expect(stepOf(changed, 'r1').data?.['diff']).toContain('+interface Loopback99');
    expect(git('log', '-1', '--format=%s%n%b')).toMatch(/2 changed/);
  });
});
