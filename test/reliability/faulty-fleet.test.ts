/**
 * The nightly backup of a fleet in which some devices misbehave (every fault knob of the lab): every
 * healthy device is backed up, every faulty one fails alone with the code its fault calls for, the
 * run stays within the job's configured time limits, and no secret of the fleet appears anywhere
 * netops wrote or printed. CI-sized: one device per fault; full size: 1,000 devices, one in ten faulty.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labEnvironment, labInventory } from '../../src/lab/lab-inventory.js';
import { startLoopbackLab, type Lab } from '../../src/lab/loopback-lab.js';
import { labSpecSchema, type LabSpecInput } from '../../src/lab/spec.js';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { runNetops, type CliResult } from '../helpers/netops-cli.js';
import { startSmtpSink, type SmtpSink } from '../notify/smtp-sink.js';
import { personas } from '../lab/personas.js';
import { freeUdpPort } from '../tasks/backup-helpers.js';
import { filesUnder, plantedSecrets, sweep, type Secret } from './secret-sweep.js';
import { fullSize, reportFigures, scale } from './scale.js';

type Faults = NonNullable<LabSpecInput['faults']>;
type Method = 'tftp-cli' | 'tftp-snmp' | 'show';

interface Variant {
  /** The backup methods the device's inventory entry names (data.backupMethods). */
  readonly via: readonly Method[];
  /** The error code the host fails with, or 'backed up' where netops must cope with the behaviour. */
  readonly expect: string;
}

interface FaultCase {
  readonly fault: string;
  readonly faults: Faults;
  /** Used in turn by the devices with this fault. */
  readonly variants: readonly Variant[];
}

const cli = (expect: string): Variant[] => [
  { via: ['show'], expect },
  { via: ['tftp-cli'], expect },
];

// What each fault must lead to. A hung login holds its slot for the session's 30 s prompt wait; a
// device whose own TFTP copy times out fails with what it said and that nothing arrived (TFTP_NO_UPLOAD;
// over SNMP, ccCopyFailCause timeout);
// SNMP requests wait 2 s with one retry by default, so a 5 s delay is a dead agent, 300 ms a slow one;
// stray bytes before a prompt are ignored; half a config is TRUNCATED and never stored.
const faultTable: readonly FaultCase[] = [
  { fault: 'authFailure', faults: { authFailure: true }, variants: cli('AUTH_FAILED') },
  { fault: 'hangAfterLogin', faults: { hangAfterLogin: true }, variants: cli('PROMPT_TIMEOUT') },
  // Only output over 2 KB is cut: `show running-config`, not the copy dialog.
  {
    fault: 'closeMidOutput',
    faults: { closeMidOutput: true },
    variants: [{ via: ['show'], expect: 'CLOSED_BY_PEER' }],
  },
  { fault: 'endlessPaging', faults: { endlessPaging: true }, variants: cli('backed up') },
  { fault: 'wrongPrompt', faults: { wrongPrompt: true }, variants: cli('backed up') },
  { fault: 'changingPrompt', faults: { changingPrompt: true }, variants: cli('backed up') },
  { fault: 'garbage', faults: { garbage: true }, variants: cli('backed up') },
  {
    fault: 'tftp truncated',
    faults: { tftp: 'truncated' },
    variants: [
      { via: ['tftp-cli'], expect: 'TRUNCATED' },
      { via: ['tftp-snmp'], expect: 'TRUNCATED' },
    ],
  },
  {
    fault: 'tftp never-sent',
    faults: { tftp: 'never-sent' },
    variants: [
      { via: ['tftp-cli'], expect: 'TFTP_NO_UPLOAD' },
      { via: ['tftp-snmp'], expect: 'SNMP_COPY_FAILED' },
    ],
  },
  {
    fault: 'snmp silent',
    faults: { snmp: { silent: true } },
    variants: [{ via: ['tftp-snmp'], expect: 'SNMP_TIMEOUT' }],
  },
  {
    fault: 'snmp delay 5 s',
    faults: { snmp: { delayMs: 5000 } },
    variants: [{ via: ['tftp-snmp'], expect: 'SNMP_TIMEOUT' }],
  },
  {
    fault: 'snmp delay 300 ms',
    faults: { snmp: { delayMs: 300 } },
    variants: [{ via: ['tftp-snmp'], expect: 'backed up' }],
  },
  { fault: 'latency 200 ms', faults: { latencyMs: 200 }, variants: cli('backed up') },
];

const secretsOfLab = {
  password: 'Fleet-login-Qz7v',
  enableSecret: 'Fleet-enable-Kp3w',
  readCommunity: 'fleet-ro-Hn8x',
  writeCommunity: 'fleet-rw-Tb2m',
};
const smtpPassword = 'fleet-smtp-Wc5r';

interface Planned {
  readonly device: string;
  readonly case: FaultCase;
  readonly variant: Variant;
}

// The personas of real devices (issue 13): each must be backed up, by every method it concerns.
const personaTable: readonly FaultCase[] = personas
  .filter((p) => p.name !== 'default')
  .map((p) => ({
    fault: `persona: ${p.name}`,
    faults: p.faults,
    variants: p.tftpCli ? cli('backed up') : [{ via: ['show'], expect: 'backed up' }],
  }));

const variants = [...faultTable, ...personaTable].flatMap((c) =>
  c.variants.map((variant) => ({ case: c, variant })),
);

/** One device in ten is faulty (at least one per fault and variant), cycling through the variants. */
function plan(devices: number): Planned[] {
  const faulty = Math.max(variants.length, Math.floor(devices / 10));
  const every = Math.floor(devices / faulty);
  if (every < 1) throw new Error(`${devices} devices are too few for ${faulty} faulty ones on two platforms`);
  return Array.from({ length: faulty }, (_, k) => {
    // Odd numbers are IOS, even NX-OS (round-robin): faulty devices alternate between the two (an
    // even spacing moves every other one up by one).
    const n = k * every + 1;
    return { device: `r${n % 2 === (k % 2 === 0 ? 1 : 0) ? n : n + 1}`, ...variants[k % variants.length]! };
  });
}

// A hung device holds its slot until the step limit: short in CI, as a nightly job would set it at full size.
// Above the session's own 30 s wait for the first prompt, which ends a hung login (PROMPT_TIMEOUT).
const stepLimitMs = fullSize ? 60_000 : 40_000;
// Hosts at once: few enough that a healthy backup stays far inside the step limit on a loaded machine.
const concurrency = fullSize ? 50 : 10;
const uploadTimeoutMs = 8_000;

let dir: string;
let lab: Lab;
let smtp: SmtpSink;
let faulty: Planned[];
let run: CliResult;
let record: RunRecord;
let planOutput: CliResult;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'netops-fleet-'));
  faulty = plan(scale.fleetDevices);
  const tftpPort = await freeUdpPort();
  // The spec a user would write: the fleet, its credentials, and the faulty devices as overrides.
  const specText = stringify({
    devices: scale.fleetDevices,
    platforms: ['ios', 'nxos'],
    tftpPort,
    bootMs: 100,
    ...secretsOfLab,
    overrides: Object.fromEntries(faulty.map((f) => [f.device, { faults: f.case.faults }])),
  });
  await writeFile(path.join(dir, 'lab-spec.yaml'), specText);
  lab = await startLoopbackLab(labSpecSchema.parse(parse(specText)), { dir: path.join(dir, 'lab') });

  const inventory = parse(labInventory(lab)) as {
    defaults: Record<string, unknown>;
    hosts: Record<string, { data: Record<string, unknown> }>;
  };
  inventory.defaults['ssh'] = { trustNewHostKey: true };
  for (const f of faulty) inventory.hosts[f.device]!.data['backupMethods'] = [...f.variant.via];
  await writeFile(path.join(dir, 'inventory.yaml'), stringify(inventory));
  smtp = await startSmtpSink('netops', smtpPassword);
  await writeFile(
    path.join(dir, 'nightly.yaml'),
    stringify({
      name: 'nightly',
      inventory: 'inventory.yaml',
      limit: '!*-v6',
      concurrency,
      timeouts: { step: `${stepLimitMs / 1000}s`, connect: '10s' },
      tftp: { listen: [`127.0.0.1:${tftpPort}`], timeout: uploadTimeoutMs / 1000 },
      store: { dir: 'store', author: { name: 'netops', email: 'netops@example.net' } },
      notify: {
        email: {
          to: 'noc@example.net',
          from: 'netops@example.net',
          host: '127.0.0.1',
          port: smtp.port,
          starttls: false,
          auth: { user: 'netops', pass: { env: 'SMTP_PASSWORD' } },
        },
      },
      steps: [{ task: 'backup', params: { uploadTimeoutMs } }],
    }),
  );
  const env = {
    ...labEnvironment(lab),
    SMTP_PASSWORD: smtpPassword,
    NETOPS_STATE_DIR: path.join(dir, 'state'),
  };
  planOutput = await runNetops(['run', 'nightly.yaml', '--plan'], { cwd: dir, env });
  run = await runNetops(['run', 'nightly.yaml', '--json'], { cwd: dir, env });
  record = runRecordSchema.parse(JSON.parse(run.stdout));
}, 600_000);

afterAll(async () => {
  await smtp?.close();
  await lab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(`the nightly backup of ${scale.fleetDevices} lab devices, ${plan(scale.fleetDevices).length} of them faulty`, () => {
  const host = (name: string) => record.hosts.find((h) => h.host === name)!;

  it('backs up every healthy device', async () => {
    const bad = new Set(faulty.map((f) => f.device));
    const healthy = record.hosts.filter((h) => !bad.has(h.host));
    expect(healthy).toHaveLength(scale.fleetDevices - faulty.length);
    expect(
      healthy
        .filter((h) => h.status !== 'changed')
        .map((h) => `${h.host}: ${h.steps[0]?.error?.code} ${h.steps[0]?.error?.message}`),
    ).toEqual([]);
    for (const h of healthy) {
      const stored = await readFile(path.join(dir, 'store', 'configs', `${h.host}.cfg`), 'utf8');
      expect(stored).toContain(`hostname ${h.host}`);
    }
  });

  it('fails each faulty device alone, with the code its fault calls for', () => {
    const outcome = (name: string) => {
      const h = host(name);
      return h.status === 'failed' ? h.steps[0]?.error?.code : 'backed up';
    };
    const line = (f: Planned, result: string | undefined) =>
      `${f.device} ${f.case.fault} via ${f.variant.via.join(',')}: ${result}`;
    // On a mismatch, the messages of the hosts that did not do as expected say why.
    const why = faulty
      .filter((f) => outcome(f.device) !== f.variant.expect)
      .map(
        (f) => `${f.device}: ${host(f.device).steps[0]?.error?.message ?? host(f.device).steps[0]?.summary}`,
      );
    expect(
      faulty.map((f) => line(f, outcome(f.device))),
      why.join('\n'),
    ).toEqual(faulty.map((f) => line(f, f.variant.expect)));
    for (const f of faulty.filter((x) => x.variant.expect !== 'backed up')) {
      expect(host(f.device).steps[0]?.error?.hint, f.device).toMatch(/\w+ \w+ \w+/);
      // A failed first backup stores nothing: no half config becomes the baseline.
      expect(existsSync(path.join(dir, 'store', 'configs', `${f.device}.cfg`)), f.device).toBe(false);
    }
    expect(record.summary.failed).toBe(faulty.filter((f) => f.variant.expect !== 'backed up').length);
    expect(record.exitCode).toBe(1);
    expect(run.code).toBe(1);
    expect(record.errors).toEqual([]);
  });

  it('ends within the time limits the job configures', () => {
    // Each step stops at the step limit (a timer, so it may fire a little late on a busy machine).
    for (const h of record.hosts) expect(h.steps[0]!.durationMs).toBeLessThan(stepLimitMs * 1.25);
    // At most `concurrency` hosts at once: the run takes no longer than its waves of full step limits.
    const waves = Math.ceil(record.hosts.length / concurrency);
    expect(record.durationMs).toBeLessThan(waves * stepLimitMs * 1.25);
    reportFigures('faulty-fleet', {
      devices: scale.fleetDevices,
      faulty: faulty.length,
      failed: record.summary.failed,
      backedUp: record.summary.changed + record.summary.ok,
      runSeconds: record.durationMs / 1000,
      boundSeconds: (waves * stepLimitMs) / 1000,
      slowestStepSeconds: Math.max(...record.hosts.map((h) => h.steps[0]!.durationMs)) / 1000,
      slowestBackedUpSeconds:
        Math.max(...record.hosts.filter((h) => h.status !== 'failed').map((h) => h.steps[0]!.durationMs)) /
        1000,
      stepLimitSeconds: stepLimitMs / 1000,
      outcomes: [...faultTable, ...personaTable].map((c) => [
        c.fault,
        c.variants.map((v) => `${v.via.join(',')}: ${v.expect}`),
      ]),
    });
  });

  it('leaves no secret in output, records, store, notifications or the plan', async () => {
    const secrets: Secret[] = [
      { label: 'lab password', value: secretsOfLab.password },
      { label: 'enable secret', value: secretsOfLab.enableSecret },
      { label: 'read community', value: secretsOfLab.readCommunity },
      { label: 'write community', value: secretsOfLab.writeCommunity },
      { label: 'SMTP password', value: smtpPassword },
      ...lab.devices.flatMap((d) => plantedSecrets(d.name, d.device.body())),
    ];
    expect(secrets.length).toBeGreaterThan(scale.fleetDevices * 5);
    // The sweep finds what it looks for: every device's own running-config is full of hits.
    const control = await sweep(secrets, { texts: { 'r1 running-config': lab.devices[0]!.device.body() } });
    expect(control.length).toBeGreaterThanOrEqual(8);
    const errors = record.hosts.flatMap((h) =>
      h.steps.map((s) => `${s.error?.message ?? ''} ${s.error?.hint ?? ''}`),
    );
    expect(smtp.received.length).toBe(1);
    const hits = await sweep(secrets, {
      files: (await filesUnder(dir, ['lab', '.git'])).filter((f) => !f.endsWith('lab-spec.yaml')),
      texts: {
        stdout: run.stdout,
        stderr: run.stderr,
        'plan stdout': planOutput.stdout,
        'plan stderr': planOutput.stderr,
        'error messages': errors.join('\n'),
        ...Object.fromEntries(smtp.received.map((m, i) => [`mail ${i}`, m.raw])),
      },
    });
    expect(hits).toEqual([]);
    // Git history too: objects are compressed, so the sweep reads them through git.
    const history = execFileSync('git', ['-C', path.join(dir, 'store'), 'log', '-p', '--all'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    expect(await sweep(secrets, { texts: { 'store history': history } })).toEqual([]);
    reportFigures('secrets-fleet', { secrets: secrets.length, hits: hits.length });
  });

  it('keeps stored configs and run records 0600 in 0700 folders', async () => {
    const mode = async (p: string) => ((await stat(p)).mode & 0o777).toString(8);
    const folders = ['store', 'store/configs', 'runs'].map((f) => path.join(dir, f));
    const files = [
      ...(await filesUnder(path.join(dir, 'store', 'configs'))),
      ...(await filesUnder(path.join(dir, 'runs'))),
    ];
    expect(files.length).toBeGreaterThan(scale.fleetDevices / 2);
    expect(Object.fromEntries(await Promise.all(folders.map(async (f) => [f, await mode(f)])))).toEqual(
      Object.fromEntries(folders.map((f) => [f, '700'])),
    );
    expect(
      (await Promise.all(files.map(async (f) => `${f} ${await mode(f)}`))).filter((m) => !m.endsWith(' 600')),
    ).toEqual([]);
  });
});
