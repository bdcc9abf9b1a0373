/**
 * `netops run --threads N` through the built CLI on the loopback lab: hosts spread over worker
 * threads give the results one thread gives (changed, unchanged, failed with its reason), the same
 * stored bytes and one commit, every new host key pinned once; hosts whose backup uses the hosted
 * TFTP server stay on the main thread; Ctrl-C ends the threads with the run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { useBackupLab } from '../helpers/labs.js';
import { runNetops, type CliOptions, type CliResult } from '../helpers/netops-cli.js';

const password = 'Thr34ds-Lab-Passw0rd';
const t = useBackupLab({
  devices: 6,
  platforms: ['ios', 'nxos'],
  snmp: false,
  password,
  overrides: { r3: { faults: { authFailure: true } } },
});

/**
 * A backup job storing into `name`/store, its records in `name`/records; its own state folder.
 * Stores compared with each other use `removed` placeholders: keyed ones differ by store.
 */
async function job(name: string, method: string, placeholders = 'removed'): Promise<string> {
  const file = `${name}.yaml`;
  await writeFile(
    path.join(t.dir, file),
    `name: ${name}
inventory: inventory.yaml
limit: [r1, r2, r3, r4, r5, r6]
concurrency: 6
records: ${name}/records
timeouts: { step: 60s }
tftp: { listen: ['127.0.0.1:${t.tftpPort}', '[::1]:${t.tftpPort}'], timeout: 8 }
store: { dir: ${name}/store, placeholders: ${placeholders}, author: { name: netops-test, email: test@example.net } }
steps:
  - task: backup
    params: { method: ${method} }
`,
  );
  return file;
}

const env = (name: string) => ({ ...t.env, NETOPS_STATE_DIR: path.join(t.dir, name, 'state') });

async function run(name: string, threads: string, options: CliOptions = {}): Promise<CliResult> {
  return runNetops(['run', `${name}.yaml`, '--json', '--threads', threads], {
    cwd: t.dir,
    env: env(name),
    ...options,
  });
}

function recordOf(result: CliResult): RunRecord {
  return runRecordSchema.parse(JSON.parse(result.stdout));
}

/** A first run of the lab: every device's config stored, r3's login refused. */
const firstRun = {
  r1: 'changed',
  r2: 'changed',
  r3: 'failed AUTH_FAILED',
  r4: 'changed',
  r5: 'changed',
  r6: 'changed',
};

const statuses = (record: RunRecord) =>
  Object.fromEntries(
    record.hosts.map((h) => [h.host, `${h.status} ${h.steps[0]?.error?.code ?? ''}`.trim()]),
  );

function storedFiles(name: string): Record<string, string> {
  const configs = path.join(t.dir, name, 'store', 'configs');
  return Object.fromEntries(
    readdirSync(configs).map((f) => [f, readFileSync(path.join(configs, f), 'utf8')]),
  );
}

const git = (name: string, ...args: string[]) =>
  execFileSync('git', ['-C', path.join(t.dir, name, 'store'), ...args], { encoding: 'utf8' });

describe('netops run --threads', () => {
  it('stores what one thread stores, and a failing device fails alone with its reason', async () => {
    await job('one', 'show');
    await job('three', 'show');
    const one = await run('one', '1');
    const three = await run('three', '3');
    expect(one.code, one.stderr).toBe(1);
    expect(three.code, three.stderr).toBe(1);
    expect(statuses(recordOf(one))).toEqual(firstRun);
    expect(statuses(recordOf(three))).toEqual(firstRun);
    expect(recordOf(one).threads).toBeUndefined();
    expect(recordOf(three).threads).toBe(3);
    expect(recordOf(three).hosts.find((h) => h.host === 'r3')?.steps[0]?.error?.message).toEqual(
      recordOf(one).hosts.find((h) => h.host === 'r3')?.steps[0]?.error?.message,
    );
    expect(Object.keys(storedFiles('three')).sort()).toEqual([
      'r1.cfg',
      'r2.cfg',
      'r4.cfg',
      'r5.cfg',
      'r6.cfg',
    ]);
    expect(storedFiles('three')).toEqual(storedFiles('one'));
    expect(git('three', 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    // Every host key pinned once, by the main thread, though the logins ran on three threads.
    const pinned = readFileSync(path.join(t.dir, 'three', 'state', 'known-hosts'), 'utf8')
      .trim()
      .split('\n');
    expect(pinned).toHaveLength(6);
    expect(new Set(pinned.map((line) => line.split(' ')[0])).size).toBe(6);
    for (const output of [three.stdout, three.stderr]) expect(output).not.toContain(password);
  });

  it('stores what one thread then finds unchanged, with the store key all threads share; a change shows its diff', async () => {
    await job('keyed', 'show', 'keyed');
    const first = recordOf(await run('keyed', '3'));
    expect(first.threads).toBe(3);
    expect(first.summary).toMatchObject({ changed: 5, failed: 1 });
    expect(storedFiles('keyed')['r1.cfg']).toMatch(/<secret:[0-9a-f]{6}>/);
    // Byte for byte what one thread stores with the store's one placeholder key: all unchanged.
    const again = await run('keyed', '1');
    expect(statuses(recordOf(again))).toEqual({
      r1: 'ok',
      r2: 'ok',
      r3: 'failed AUTH_FAILED',
      r4: 'ok',
      r5: 'ok',
      r6: 'ok',
    });
    t.lab.devices.find((d) => d.name === 'r5')!.device.merge('snmp-server location threads-test\n', 'test');
    const changed = recordOf(await run('keyed', '2'));
    expect(changed.hosts.filter((h) => h.status === 'changed').map((h) => h.host)).toEqual(['r5']);
    expect(JSON.stringify(changed.hosts.find((h) => h.host === 'r5')?.steps[0]?.data)).toContain(
      '+snmp-server location threads-test',
    );
    expect(storedFiles('keyed')['r5.cfg']).toContain('snmp-server location threads-test\n');
    expect(git('keyed', 'rev-list', '--count', 'HEAD').trim()).toBe('2');
  });

  it('keeps hosts whose backup uploads to the hosted TFTP server on the main thread', async () => {
    await job('tftp', 'tftp-cli');
    const result = await run('tftp', '3');
    // No host left for a thread: none was started.
    expect(recordOf(result).threads).toBeUndefined();
    expect(statuses(recordOf(result))).toEqual(firstRun);
    expect(storedFiles('tftp')['r1.cfg']).toBe(storedFiles('one')['r1.cfg']);
  });

  it('ends its threads on Ctrl-C: the record says interrupted, exit 3', async () => {
    await job('slow', 'show');
    const slow = { latencyMs: 3000 };
    for (const device of t.lab.devices) device.setFaults({ ...device.specFaults, ...slow });
    try {
      const result = await run('slow', '2', {
        // Interrupted once a device has been sent its first command: sessions are in flight on the threads.
        onSpawn: (pid) => {
          const devices = t.lab.devices.map((d) => d.device);
          const interrupt = () => {
            for (const device of devices) device.off('command', interrupt);
            process.kill(pid, 'SIGINT');
          };
          for (const device of devices) device.on('command', interrupt);
        },
      });
      expect(result.code, result.stderr).toBe(3);
      const record = recordOf(result);
      expect(record.aborted).toBe(true);
      const codes = record.hosts.flatMap((h) => h.steps.map((s) => s.error?.code ?? s.status));
      expect(codes).toContain('ABORTED');
      expect(codes.every((c) => c === 'ABORTED' || c === 'skipped' || c === 'AUTH_FAILED')).toBe(true);
    } finally {
      for (const device of t.lab.devices) device.setFaults(device.specFaults);
    }
  });
});
