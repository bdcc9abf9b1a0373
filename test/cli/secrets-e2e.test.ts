/**
 * Secrets through the built `netops` binary against the loopback lab, as cron runs it: no secret
 * value (inventory passwords, communities, the devices' own hashes and keys) reaches stdout, stderr,
 * the run record or the command outputs, which only their owner can read; an empty or unusable
 * secret stops the run before any device is contacted.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { runNetops } from '../helpers/netops-cli.js';

const spec = {
  password: 'Pl41n-Lab-Passw0rd',
  enableSecret: 'En4ble-Lab-S3cret',
  readCommunity: 'R0-Lab-Community',
  writeCommunity: 'Rw-Lab-Community',
};
const dir = useTempDir('netops-secrets-e2e-');
const lab = useLoopbackLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 200, snmp: false, ...spec });

/** Every secret value a leak would show: the lab's own and each one in the devices' configs. */
function secretValues(): string[] {
  const inConfigs = lab.devices.flatMap((d) =>
    [
      ...d.device
        .body()
        .matchAll(/(?:key 7|secret 5|password [57]|community|auth sha|priv aes(?:-| )128) "?([^\s"]+)/g),
    ].map((m) => m[1] as string),
  );
  return [...new Set([...Object.values(spec), ...inConfigs])];
}

function inventory(password: string): string {
  const hosts = lab.devices
    .map((d) => `  ${d.name}: { address: 127.0.0.1, port: ${d.ports.ssh}, platform: ${d.platform} }`)
    .join('\n');
  return `credentials:\n  lab: { username: admin, password: ${password}, enable: { env: LAB_ENABLE } }\ndefaults: { credentials: lab }\nhosts:\n${hosts}\n`;
}

beforeAll(async () => {
  await mkdir(path.join(dir, 'inventory'));
  await writeFile(
    path.join(dir, 'job.yaml'),
    `inventory: inventory/lab.yaml\nrecords: records\ntrustNewHostKeys: true\nsteps:\n  - task: command\n    params: { commands: ["show running-config", "show version"], dir: out }\n`,
  );
  await writeFile(path.join(dir, 'empty-secret'), '\n');
  execFileSync('mkfifo', [path.join(dir, 'pipe-secret')]);
});

const netops = (args: string[], env: Record<string, string> = {}) =>
  runNetops(['run', 'job.yaml', ...args], {
    cwd: dir,
    env: { LAB_ENABLE: spec.enableSecret, NETOPS_STATE_DIR: path.join(dir, 'state'), ...env },
  });

const logins = () => lab.devices.reduce((n, d) => n + d.device.log.length, 0);

describe('secrets through the CLI', () => {
  it('never show in stdout, stderr, the run record or the outputs, with a plain-text password in the inventory', async () => {
    await writeFile(path.join(dir, 'inventory', 'lab.yaml'), inventory(JSON.stringify(spec.password)));
    const result = await netops([]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /warning: .*inventory\/lab\.yaml:2:\d+ credentials\.lab\.password: plain-text secret/,
    );

    const records = readdirSync(path.join(dir, 'records')).filter((f) => f.endsWith('.json'));
    expect(records).toHaveLength(1);
    const recordFile = path.join(dir, 'records', records[0] as string);
    const record = readFileSync(recordFile, 'utf8');
    const outputs = lab.devices.map((d) =>
      readFileSync(path.join(dir, 'out', d.name, 'show-running-config.txt'), 'utf8'),
    );
    expect(record).toContain('<removed>');
    expect(secretValues().length).toBeGreaterThanOrEqual(15);
    for (const [where, text] of Object.entries({
      stdout: result.stdout,
      stderr: result.stderr,
      record,
      history: readFileSync(path.join(dir, 'records', 'index.jsonl'), 'utf8'),
      outputs: outputs.join('\n'),
    })) {
      for (const secret of secretValues()) expect(text, `${secret} in ${where}`).not.toContain(secret);
    }
    expect(statSync(recordFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'records', 'index.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(recordFile)).mode & 0o777).toBe(0o700);
    for (const d of lab.devices) {
      const file = path.join(dir, 'out', d.name, 'show-running-config.txt');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    }
  });

  it.each([
    ['an empty environment variable', '{ env: LAB_PASSWORD }', 'environment variable LAB_PASSWORD is empty'],
    [
      'an empty secret file',
      '{ file: ../empty-secret }',
      `secret file ${path.join(dir, 'empty-secret')} is empty`,
    ],
    [
      'a named pipe as secret file',
      '{ file: ../pipe-secret }',
      `secret file ${path.join(dir, 'pipe-secret')} is a named pipe, not a regular file`,
    ],
    [
      'a folder as secret file',
      '{ file: ../inventory }',
      `secret file ${path.join(dir, 'inventory')} is a directory`,
    ],
  ])('refuse %s with exit 2 before contacting any device', async (_what, reference, message) => {
    await writeFile(path.join(dir, 'inventory', 'lab.yaml'), inventory(reference));
    const before = logins();
    const result = await netops([], { LAB_PASSWORD: '' });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(`inventory/lab.yaml:2:`);
    expect(result.stderr).toContain(`credentials.lab.password: ${message}`);
    expect(result.stderr).toMatch(/hint: /);
    expect(result.stderr).not.toContain('INTERNAL');
    expect(logins()).toBe(before);
  });
});
