/**
 * The `show` method against a real device: FRR's vtysh as the login shell of an OpenSSH user.
 * `auto` tries the TFTP methods first; FRR has no TFTP copy and no SNMP here, so the result must
 * say why those were passed over and that `show` did the backup.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { runNetops } from '../helpers/netops-cli.js';
import { ensureVtyshUser, inetd, sshdConfig, startFrr, vtyshUser } from '../transport/peers.js';

const frr = useStarted(() => startFrr('edge-frr'));
// Searchable by others: sshd reads its configuration here as the test user.
const dir = useTempDir('netops-frr-backup-', 0o755);
const sshd = useStarted(() => {
  ensureVtyshUser();
  const config = sshdConfig(dir, frr);
  return inetd('::1', () => ['/usr/sbin/sshd', ['-i', '-e', '-f', config.config]]);
});

beforeAll(async () => {
  await writeFile(
    path.join(dir, 'inventory.yaml'),
    `credentials:
  frr: { username: ${vtyshUser.name}, password: { env: FRR_PASSWORD } }
hosts:
  edge-frr:
    address: "::1"
    port: ${sshd.port}
    platform: frr
    credentials: frr
    ssh: { trustNewHostKey: true }
`,
  );
  await writeFile(
    path.join(dir, 'job.yaml'),
    'inventory: inventory.yaml\nstore: { dir: store }\nsteps:\n  - task: backup\n    params: { method: auto }\n',
  );
});

it('backs up a real FRR router with `show running-config` over SSH (IPv6)', async () => {
  const result = await runNetops(['run', 'job.yaml', '--json'], {
    cwd: dir,
    env: { FRR_PASSWORD: vtyshUser.password, NETOPS_STATE_DIR: path.join(dir, 'state') },
  });
  expect(result.stderr).toBe('');
  const record = runRecordSchema.parse(JSON.parse(result.stdout));
  const step = record.hosts[0]!.steps[0]!;
  expect(step.status, step.error?.message).toBe('changed');
  expect(step.data).toMatchObject({
    method: 'show',
    attempts: [
      {
        method: 'tftp-cli',
        ok: false,
        code: 'NOT_APPLICABLE',
        message: 'platform frr cannot copy its config to TFTP',
      },
      { method: 'tftp-snmp', ok: false, code: 'NOT_APPLICABLE', message: 'the host has no snmp settings' },
      { method: 'show', ok: true },
    ],
  });
  const stored = await readFile(path.join(dir, 'store', 'configs', 'edge-frr.cfg'), 'utf8');
  expect(stored).toMatch(/^frr version /m);
  expect(stored).toMatch(/^hostname edge-frr$/m);
  expect(stored.trimEnd().endsWith('end')).toBe(true);
  expect(stored).not.toContain('show running-config');
});
