/**
 * Run history end to end through the CLI against the loopback lab: a host failing for a simulated
 * 25 h is stale (listed in the webhook, exit 1, even on a run that skipped it), `netops status`
 * shows it with its last good backup, method and error, `--report junit` validates against the
 * JUnit schema, and `--retry-failed` contacts only the hosts that failed (the devices' command logs
 * prove it). The clock is moved with NETOPS_NOW (src/core/clock.ts).
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { useStarted } from '../helpers/fixture.js';
import { useBackupLab } from '../helpers/labs.js';
import { runNetops, type CliResult } from '../helpers/netops-cli.js';

const t = useBackupLab({ devices: 3, platforms: ['ios'], configBytes: 5_000, bootMs: 100 });
const device = (name: string) => t.lab.devices.find((d) => d.name === name)!.device;

interface Hook {
  readonly posted: Array<{
    subject: string;
    stale: Array<{ host: string }>;
    failed: Array<{ host: string }>;
  }>;
  readonly url: string;
  close(): Promise<void>;
}

async function startHook(): Promise<Hook> {
  const posted: Hook['posted'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posted.push(JSON.parse(body) as Hook['posted'][number]);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { posted, url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
const hook = useStarted(startHook);

const t0 = Date.parse('2026-11-20T02:00:00.000Z');
const at = (hours: number) => new Date(t0 + hours * 3_600_000).toISOString();
const hosts = 'r*,!*-v6';

function netops(args: string[], hoursLater: number): Promise<CliResult> {
  return runNetops(args, { cwd: t.dir, env: { ...t.env, NETOPS_NOW: at(hoursLater) } });
}

async function record(result: CliResult): Promise<RunRecord> {
  const file = /record (\S+\.json)/.exec(result.stdout)?.[1];
  expect(file, result.stdout + result.stderr).toBeDefined();
  return runRecordSchema.parse(JSON.parse(await readFile(path.resolve(t.dir, file!), 'utf8')));
}
const statusOf = (r: RunRecord, host: string) => r.hosts.find((h) => h.host === host)?.status;
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

let job: string;
beforeAll(async () => {
  job = await t.job(
    'nightly',
    { method: 'show' },
    { extra: `alert_stale_after: 24h\nnotify: { on: [failure], webhook: { url: '${hook.url}' } }\n` },
  );
});

describe('run history and staleness', () => {
  it('a good run at T0 and a failure 1 h later: nothing stale yet; the summary line is scrape-able', async () => {
    const good = await netops(['run', job, '--limit', hosts], 0);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(lastLine(good.stdout)).toMatch(
      /^netops-run job=nightly run=2026-11-20T02-00-0\d-\d{3}Z-nightly result=ok exit=0 hosts=3 ok=0 changed=3 failed=0 skipped=0 stale=0 warnings=0 errors=0 seconds=[\d.]+$/,
    );
    device('r2').faults = { authFailure: true };
    const failed = await netops(['run', job, '--limit', hosts], 1);
    expect(failed.code).toBe(1);
    const r = await record(failed);
    expect(statusOf(r, 'r2')).toBe('failed');
    expect(r.stale).toEqual([]);
    expect(hook.posted.at(-1)?.stale).toEqual([]);
  });

  it('25 h after its last good backup, a run that did not attempt r2 lists it stale and exits 1', async () => {
    const before = hook.posted.length;
    const result = await netops(['run', job, '--limit', 'r1,r3'], 25.5);
    expect(result.code).toBe(1);
    const r = await record(result);
    expect(r.hosts.map((h) => h.host)).toEqual(['r1', 'r3']);
    expect(r.summary.failed).toBe(0);
    expect(r.stale).toHaveLength(1);
    expect(r.stale?.[0]).toMatchObject({ host: 'r2' });
    expect(r.stale![0]!.ageMs).toBeGreaterThan(25 * 3_600_000);
    expect(Date.parse(r.stale![0]!.lastGoodAt!)).toBeLessThan(t0 + 3_600_000);
    expect(result.stdout).toMatch(/nightly: FAILED: 2 hosts, 2 ok.*1 stale/);
    expect(result.stdout).toMatch(/stale r2: no good run since 2026-11-20T02:0/);
    expect(lastLine(result.stdout)).toMatch(/ result=failed exit=1 hosts=2 .* stale=1 /);
    expect(hook.posted).toHaveLength(before + 1);
    expect(hook.posted.at(-1)).toMatchObject({ stale: [{ host: 'r2' }], failed: [] });
    expect(hook.posted.at(-1)?.subject).toContain('1 stale (r2)');
  });

  it('netops status shows per host the last attempt, last good backup, age, method and last error', async () => {
    const table = await netops(['status', job], 26);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^HOST +JOB +LAST ATTEMPT +LAST GOOD +AGE +METHOD +LAST ERROR$/);
    // The oldest good backup first.
    expect(lines[1]).toMatch(
      /^r2 +nightly +2026-11-20T03:00:\d\dZ failed +2026-11-20T02:0\d:\d\dZ +1d1h +show +backup: AUTH_FAILED: /,
    );
    expect(
      lines
        .slice(2, 4)
        .map((l) => l.split(/ +/)[0])
        .sort(),
    ).toEqual(['r1', 'r3']);
    // Every other host of the job's inventory is listed too, last: the runs' --limit left them out.
    expect(lines.slice(4)).toEqual(
      ['r1-v6', 'r2-v6', 'r3-v6'].map((h) =>
        expect.stringMatching(new RegExp(`^${h} +nightly +never attempted +never +- +- +-$`)),
      ),
    );
    const json = await netops(['status', job, '--json', '--limit', 'r1*'], 26);
    expect(
      (JSON.parse(json.stdout) as Array<Record<string, unknown>>).map((r) => [r['host'], r['attempted']]),
    ).toEqual([
      ['r1', true],
      ['r1-v6', false],
    ]);
    expect(JSON.parse(json.stdout)[1]).toEqual({
      host: 'r1-v6',
      job: 'nightly',
      platform: 'ios',
      attempted: false,
      lastAttempt: null,
      lastGood: null,
      ageSeconds: null,
      lastError: null,
      method: null,
    });

    const stale = await netops(['status', job, '--stale', '24h', '--json'], 26);
    expect(stale.code).toBe(1);
    const rows = JSON.parse(stale.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      host: 'r2',
      job: 'nightly',
      lastAttempt: { status: 'failed' },
      method: 'show',
      lastError: { step: 'backup', code: 'AUTH_FAILED' },
    });
    expect(rows[0]!['ageSeconds']).toBeGreaterThan(24 * 3600);

    const fresh = await netops(['status', job, '--stale', '24h', '--limit', 'r1,r3'], 26);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toBe('no host matches\n');
  });

  it('--report junit FILE: one testcase per host and step, failures and staleness, valid against the JUnit schema', async () => {
    device('r3').faults = { authFailure: true };
    const result = await netops(['run', job, '--limit', hosts, '--report', 'junit', 'out/results.xml'], 27);
    expect(result.code).toBe(1);
    const xml = await readFile(path.join(t.dir, 'out', 'results.xml'), 'utf8');
    const schema = path.resolve('test/fixtures/junit/junit.xsd');
    const lint = execFileSync(
      'xmllint',
      ['--noout', '--schema', schema, path.join(t.dir, 'out', 'results.xml')],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(lint).toBe('');
    expect(xml).toMatch(/<testsuites name="netops nightly" tests="4" failures="3" errors="0" skipped="0"/);
    expect(xml).toContain('<testcase classname="nightly.r1" name="backup"');
    expect(xml).toMatch(/<testcase classname="nightly.r2" name="backup"[^>]*>\s*<failure type="AUTH_FAILED"/);
    expect(xml).toMatch(
      /<testcase classname="nightly.r2" name="stale"[^>]*>\s*<failure type="STALE" message="no good run since 2026-11-20T02:0/,
    );
    expect(xml).toMatch(/<testcase classname="nightly.r3" name="backup"[^>]*>\s*<failure type="AUTH_FAILED"/);
  });
});

describe('--retry-failed', () => {
  it('runs only the hosts that failed in the last run: the other devices see no command at all', async () => {
    for (const name of ['r1', 'r2', 'r3']) {
      device(name).faults = {};
      device(name).log.length = 0;
    }
    const result = await netops(['run', job, '--limit', hosts, '--retry-failed'], 28);
    expect(result.stderr).toMatch(/retrying 2 host\(s\) that failed in 2026-11-21T05-00-0\d-\d{3}Z-nightly/);
    expect(result.code, result.stdout).toBe(0);
    const r = await record(result);
    expect(r.hosts.map((h) => [h.host, h.status])).toEqual([
      ['r2', 'ok'],
      ['r3', 'ok'],
    ]);
    expect(r.stale).toEqual([]);
    expect(device('r1').log).toEqual([]);
    for (const name of ['r2', 'r3']) {
      expect(device(name).log.map((e) => e.line)).toContain('show running-config');
    }
  });

  it('the last run had no failure: nothing is contacted; an unknown run id is invalid input (exit 2)', async () => {
    const nothing = await netops(['run', job, '--limit', hosts, '--retry-failed', 'last'], 28);
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toMatch(/no selected host failed in .*-nightly; nothing to retry/);
    const unknown = await netops(['run', job, '--retry-failed', '2026-01-01T00-00-00-000Z-nightly'], 28);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'CONFIG_INVALID: --retry-failed: no run "2026-01-01T00-00-00-000Z-nightly"',
    );
    expect(unknown.stderr).toMatch(/hint: Give a run id/);
    for (const name of ['r1', 'r2', 'r3'])
      expect(device(name).log.filter((e) => e.line === 'show running-config')).toHaveLength(
        name === 'r1' ? 0 : 1,
      );
  });
});

it('a bad alert_stale_after is invalid input with its position: exit 2, nothing contacted', async () => {
  const bad = (await readFile(path.join(t.dir, job), 'utf8')).replace(
    'alert_stale_after: 24h',
    'alert_stale_after: 2 days',
  );
  await writeFile(path.join(t.dir, 'bad-stale.yaml'), bad);
  for (const d of ['r1', 'r2', 'r3']) device(d).log.length = 0;
  const result = await netops(['run', 'bad-stale.yaml', '--limit', hosts], 29);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(
    /bad-stale\.yaml:\d+:20 alert_stale_after: expected an age such as "90m", "24h" or "7d" \(at least 1m\), found "2 days"/,
  );
  for (const d of ['r1', 'r2', 'r3']) expect(device(d).log).toEqual([]);
});
