/**
 * A nightly backup that finds every config unchanged, through the built `netops` against the
 * loopback lab: it rewrites neither a stored config nor its explanation (the explanation of the
 * backup that stored the text stays, and `netops store explain` still calls it current), makes no
 * commit, and writes the explanation of a host whose explanation is missing. A copy edited by hand
 * is no longer the text its explanation explains (the record names it by its git blob id).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBackupLab } from '../helpers/labs.js';
import { runNetops } from '../helpers/netops-cli.js';

const t = useBackupLab({ devices: 2, platforms: ['ios', 'nxos'], bootMs: 200, snmp: false });
const store = () => path.join(t.dir, 'store');
const git = (...args: string[]) => execFileSync('git', ['-C', store(), ...args], { encoding: 'utf8' });

/** The explanation files of the store, under the state folder's only store. */
function explanations(): string {
  const stores = path.join(t.dir, 'state', 'stores');
  const [id] = readdirSync(stores);
  return path.join(stores, id ?? '', 'explain');
}

/** Inode and modification time: a file replaced or written again changes one of them. */
const identity = (file: string) => {
  const info = statSync(file, { bigint: true });
  return `${info.ino}:${info.mtimeNs}`;
};

async function backup(): Promise<string> {
  const job = await t.job('nightly', { method: 'show' });
  const result = await runNetops(['run', job], { cwd: t.dir, env: t.env });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return result.stdout;
}

async function explain(host: string): Promise<{ current: boolean; at: string; sha256?: string }> {
  const result = await runNetops(['store', 'explain', host, '--store', store(), '--json'], {
    cwd: t.dir,
    env: t.env,
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { current: boolean; at: string; sha256?: string };
}

describe('an unchanged backup', () => {
  it('rewrites no config and no explanation, and writes a missing explanation again', async () => {
    await backup();
    const head = git('rev-parse', 'HEAD');
    const files = ['r1', 'r2'].flatMap((h) => [
      path.join(store(), 'configs', `${h}.cfg`),
      path.join(explanations(), `${h}.json`),
    ]);
    const before = files.map(identity);
    const first = await explain('r1');
    // The record names the stored text by the blob id git holds for it, hashed once by the write.
    expect(first).toMatchObject({ source: { blob: git('rev-parse', 'HEAD:configs/r1.cfg').trim() } });
    expect(first.sha256).toBeUndefined();

    await backup();
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(files.map(identity)).toEqual(before);
    expect(await explain('r1')).toMatchObject({ current: true, at: first.at });

    rmSync(path.join(explanations(), 'r2.json'));
    await backup();
    expect(await explain('r2')).toMatchObject({ current: true });
    expect(identity(files[1] as string)).toBe(before[1]);
    expect(git('rev-parse', 'HEAD')).toBe(head);

    appendFileSync(path.join(store(), 'configs', 'r1.cfg'), '! edited by hand\n');
    expect(await explain('r1')).toMatchObject({ current: false, at: first.at });
  });
});
