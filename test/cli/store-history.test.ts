/**
 * The everyday questions answered from the store, end to end: nightly runs of the built `netops`
 * back up simulated ios and nxos devices into a git store, a device's config changes between two
 * runs, and `netops history`, `netops diff` (a host's revisions, two runs) and `netops grep` answer
 * from the store, as text and JSON, naming the runs by the ids of their records.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBackupLab } from '../helpers/labs.js';
import { runNetops } from '../helpers/netops-cli.js';

const t = useBackupLab({ devices: 2, platforms: ['ios', 'nxos'], configBytes: 6_000, bootMs: 200 });
const git = (...args: string[]) =>
  execFileSync('git', ['-C', path.join(t.dir, 'store'), ...args], { encoding: 'utf8' });

async function netops(...args: string[]) {
  return runNetops(args, { cwd: t.dir, env: t.env });
}

/** Runs the job and returns its run id (the record's `id`). */
async function nightly(job: string): Promise<string> {
  const result = await netops('run', job, '--json');
  expect(result.stdout, result.stderr).not.toBe('');
  const record = JSON.parse(result.stdout) as { id: string; summary: { failed: number } };
  expect(record.summary.failed, result.stdout).toBe(0);
  return record.id;
}

interface Change {
  readonly commit: string;
  readonly runId?: string;
  readonly kind: string;
  readonly added: number;
  readonly removed: number;
}
interface Diff {
  readonly from?: { readonly runId?: string };
  readonly to: { readonly runId?: string; readonly commit: string };
  readonly files: readonly { readonly host: string; readonly kind: string; readonly diff: string }[];
}

describe('history, diff and grep after three nightly runs', () => {
  it('answer when and by which run a config changed, what changed, and where a line is', async () => {
    const job = await t.job('nightly', { method: 'show' });
    const first = await nightly(job);
    t.lab.devices[0]!.device.merge('interface Loopback99\n description nightly-test\n', 'test');
    const second = await nightly(job);
    const third = await nightly(job); // nothing changed

    // Every run is tagged with its record's id; the third points where the second left the store.
    expect(git('tag', '--list', 'run/*').trim().split('\n')).toEqual(
      [first, second, third].map((id) => `run/${id}`),
    );
    expect(git('rev-parse', `run/${third}`)).toBe(git('rev-parse', `run/${second}`));

    const history = await netops('history', 'r1', '--store', 'store', '--json');
    expect(history.code, history.stderr).toBe(0);
    const changes = (JSON.parse(history.stdout) as { changes: Change[] }).changes;
    expect(changes.map((c) => [c.kind, c.runId])).toEqual([
      ['changed', second],
      ['added', first],
    ]);
    expect(changes[0]).toMatchObject({ added: 3, removed: 0 });
    const text = await netops('history', 'r1', '--store', 'store');
    expect(text.stdout).toContain(`+3 -0`);
    expect(text.stdout).toContain(`run ${second}`);

    // The last change of r1, as a unified diff.
    const last = await netops('diff', 'r1', '--store', 'store');
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toContain('+interface Loopback99\n+ description nightly-test\n');
    expect(last.stdout.split('\n')[0]).toContain(`run ${second}`);
    // Between two named revisions of r2: nothing.
    const r2 = await netops('diff', 'r2', first, 'last', '--store', 'store', '--json');
    expect((JSON.parse(r2.stdout) as Diff).files).toEqual([]);

    // What the second run changed in the network: both addresses of the changed device.
    const runs = await netops('diff', '--run', first, '--run', second, '--store', 'store', '--json');
    const network = JSON.parse(runs.stdout) as Diff;
    expect(network.from?.runId).toBe(first);
    expect(network.to.runId).toBe(second);
    expect(network.files.map((f) => [f.host, f.kind]).sort()).toEqual([
      ['r1', 'changed'],
      ['r1-v6', 'changed'],
    ]);
    // One run: since the run before it. The third changed nothing.
    const quiet = await netops('diff', '--run', third, '--store', 'store', '--stat');
    expect(quiet.stdout).toMatch(/: no change\n$/);
    const stat = await netops('diff', '--run', 'last~1', '--store', 'store', '--stat');
    expect(stat.stdout.split('\n').slice(1)).toEqual(['r1     +3 -0', 'r1-v6  +3 -0', '']);

    // Where the new line is, all hosts or a limit; a secret of the lab is never found.
    const found = await netops('grep', 'description nightly-test', '--store', 'store');
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/^r1:\d+: description nightly-test\nr1-v6:\d+: description nightly-test\n$/);
    const limited = await netops(
      'grep',
      'nightly-TEST',
      '-i',
      '--limit',
      'r*,!r1-v6',
      '--store',
      'store',
      '--json',
    );
    const hosts = (JSON.parse(limited.stdout) as { hosts: { host: string }[] }).hosts.map((h) => h.host);
    expect(hosts).toEqual(['r1']);
    for (const secret of [t.lab.spec.password, t.lab.spec.readCommunity]) {
      const leak = await netops('grep', secret, '-F', '--store', 'store');
      expect(leak.code, `${secret} is in the store`).toBe(1);
      expect(leak.stdout).toBe('');
    }
  }, 600_000);

  it('refuses a revision, run or host the store does not have, with exit 2 and a hint', async () => {
    for (const args of [
      ['diff', 'r1', 'no-such-run', '--store', 'store'],
      ['diff', '--run', '2026-01-01', '--store', 'store'],
      ['history', 'r99', '--store', 'store'],
      ['grep', 'interface (', '--store', 'store'],
      ['diff', '--store', 'store'],
    ]) {
      const result = await netops(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^netops: CONFIG_INVALID: .+\n {2}hint: .+/);
    }
  }, 300_000);
});
