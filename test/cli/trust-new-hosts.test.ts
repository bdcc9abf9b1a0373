/**
 * Trust on first use as the HOSTKEY_UNKNOWN hint tells it: a device never seen fails with a hint
 * naming `--trust-new-hosts`; running the same command with exactly that flag pins the key; later
 * runs need no flag.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labEnvironment, labInventory } from '../../src/lab/lab-inventory.js';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { runNetops } from '../helpers/netops-cli.js';

const dir = useTempDir('netops-tofu-');
const lab = useLoopbackLab({ devices: 1, platforms: ['ios'], snmp: false, bootMs: 200 });
let env: Record<string, string>;

beforeAll(async () => {
  // The inventory as `netops lab up` writes it: no host is trusted on first use.
  await writeFile(path.join(dir, 'inventory.yaml'), labInventory(lab));
  await writeFile(
    path.join(dir, 'clock.yaml'),
    'name: clock\ninventory: inventory.yaml\nsteps:\n  - task: command\n    params: { commands: [show clock] }\n',
  );
  env = { ...labEnvironment(lab), NETOPS_STATE_DIR: path.join(dir, 'state') };
});

async function run(...args: string[]): Promise<RunRecord> {
  const result = await runNetops(['run', 'clock.yaml', '--json', ...args], { cwd: dir, env });
  expect(result.stderr, `netops ${args.join(' ')}`).toBe('');
  return runRecordSchema.parse(JSON.parse(result.stdout));
}

describe('netops run --trust-new-hosts', () => {
  it('does what the HOSTKEY_UNKNOWN hint says, once', async () => {
    const first = await run();
    expect(first.exitCode).toBe(1);
    const error = first.hosts[0]!.steps[0]!.error!;
    expect(error.code).toBe('HOSTKEY_UNKNOWN');
    const flag = /run once with (--[\w-]+)/.exec(error.hint)?.[1];
    expect(flag).toBe('--trust-new-hosts');

    const trusted = await run(flag!);
    expect(trusted.exitCode).toBe(0);
    expect(trusted.summary.failed).toBe(0);

    const later = await run();
    expect(later.exitCode).toBe(0);
    expect(later.hosts.map((h) => h.status)).toEqual(['ok', 'ok']);
  });
});
