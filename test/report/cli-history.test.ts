/**
 * `netops report inventory` on a real git store: the markdown and json reports, `--limit`, and the
 * "changes since" section computed from the store's history.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { register } from '../../src/cli/commands/report.js';
import { serializeFacts } from '../../src/facts/device-facts.js';
import { isNetopsError } from '../../src/core/errors.js';
import { GitStore } from '../../src/store/git-store.js';
import { nexus, router } from './sample-facts.js';
import { useTempDir } from '../helpers/fixture.js';

const store = useTempDir('netops-report-');

function git(args: string[], date: string): void {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'netops',
    GIT_AUTHOR_EMAIL: 'netops@localhost',
    GIT_COMMITTER_NAME: 'netops',
    GIT_COMMITTER_EMAIL: 'netops@localhost',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
  execFileSync('git', ['-C', store, ...args], { env, stdio: 'pipe' });
}

async function commitFacts(files: Record<string, string>, date: string): Promise<void> {
  for (const [host, text] of Object.entries(files))
    await writeFile(path.join(store, 'facts', `${host}.json`), text);
  git(['add', 'facts'], date);
  git(['commit', '-qm', 'netops collect'], date);
}

beforeAll(async () => {
  await mkdir(path.join(store, 'facts'));
  git(['init', '-q'], '2026-01-01T00:00:00Z');
  await commitFacts(
    {
      r1: serializeFacts(router('r1', 'Site A', 'FTX1840ALBC', 'FOC1234')),
      'n7k-core1': serializeFacts(nexus),
    },
    '2026-03-01T02:00:00Z',
  );
  await commitFacts(
    { r1: serializeFacts(router('r1', 'Site A', 'FTX1840ALBC', 'FOC9876')) },
    '2026-06-01T02:00:00Z',
  );
});

async function report(...args: string[]): Promise<string> {
  const out = path.join(store, `report-${Math.random().toString(36).slice(2)}`);
  const program = new Command('netops').exitOverride();
  register(program);
  await program.parseAsync(['report', 'inventory', '--store', store, '--out', out, ...args], {
    from: 'user',
  });
  return readFile(out, 'utf8');
}

describe('netops report inventory', () => {
  it('lists the changes since a date from git history, naming the swapped module', async () => {
    const md = await report('--format', 'md', '--changes-since', '2026-05-01');
    expect(md).toContain('## Changes since 2026-05-01T00:00:00.000Z');
    expect(md).toMatch(/- 2026-06-01T02:00:00\+00:00 \*\*r1\*\*: module 2 serial FOC1234 -> FOC9876\n/);
    expect(md).not.toContain('first inventory');
    const all = await report('--format', 'md', '--changes-since', '2026-01-01');
    expect(all).toContain('**n7k-core1**: first inventory: N7K-C7010 TBM12345678, nx-os 6.2(8b), 5 entities');
    // A description with quotes and a line break stays on its table row.
    expect(all).toContain(
      '| DC1 | module | Supervisor Module-2 | N7K-SUP2 | JAF5555BBBB |  | Supervisor "Module-2" with CMP |\n',
    );
  });

  it('selects hosts with --limit and classes with --class, grouped by platform', async () => {
    const json = JSON.parse(
      await report(
        '--format',
        'json',
        '--limit',
        'platform:nxos',
        '--class',
        'module',
        '--group-by',
        'platform',
      ),
    ) as {
      devices: { host: string; entities: { model: string }[] }[];
      byGroup: { key: string; devices: number; entities: number }[];
    };
    expect(json.devices.map((d) => d.host)).toEqual(['n7k-core1']);
    expect(json.devices[0]!.entities.map((e) => e.model)).toEqual(['N7K-F248XP-25E', 'N7K-SUP2']);
    expect(json.byGroup).toEqual([{ key: 'nxos', devices: 1, entities: 2 }]);
  });

  it('reads the history while a backup run holds the store, and names a store that is not a repository', async () => {
    const run = await GitStore.open({ dir: store, purpose: 'job nightly (held by the test)' });
    try {
      expect(await report('--format', 'md', '--changes-since', '2026-05-01')).toContain(
        '**r1**: module 2 serial FOC1234 -> FOC9876',
      );
    } finally {
      await run.release();
    }
    const plain = await mkdtemp(path.join(tmpdir(), 'netops-report-plain-'));
    await mkdir(path.join(plain, 'facts'));
    const program = new Command('netops').exitOverride();
    register(program);
    const error = await program
      .parseAsync(['report', 'inventory', '--store', plain, '--changes-since', '7d'], { from: 'user' })
      .catch((e: unknown) => e)
      .finally(() => rm(plain, { recursive: true, force: true }));
    expect(isNetopsError(error, 'STORE_FAILED') && error.message).toMatch(
      new RegExp(`^cannot read the git history of ${plain}: .*not a git repository`),
    );
    expect(isNetopsError(error) && error.hint).toBe(
      'Point --store at the git repository of the store, or leave out --changes-since.',
    );
  });

  it("keeps a damaged store's own hint: what is missing and how to bring it back", async () => {
    const damaged = await mkdtemp(path.join(tmpdir(), 'netops-report-damaged-'));
    try {
      await cp(store, damaged, { recursive: true });
      // The first commit's r1 facts are gone from the object database (loose, as a commit leaves them).
      const object = execFileSync('git', ['-C', damaged, 'rev-parse', 'HEAD~1:facts/r1.json'], {
        encoding: 'utf8',
      }).trim();
      await rm(path.join(damaged, '.git', 'objects', object.slice(0, 2), object.slice(2)));
      const program = new Command('netops').exitOverride();
      register(program);
      const error = await program
        .parseAsync(['report', 'inventory', '--store', damaged, '--changes-since', '2026-01-01'], {
          from: 'user',
        })
        .catch((e: unknown) => e);
      expect(isNetopsError(error, 'STORE_FAILED') && error.message).toMatch(
        new RegExp(`^cannot read the git history of ${damaged}: .*lacks its object ${object}`),
      );
      expect(isNetopsError(error) && error.hint).toMatch(/^Run `git -C .* fsck` to list what is missing/);
    } finally {
      await rm(damaged, { recursive: true, force: true });
    }
  });

  it('refuses an unknown class and a malformed date with a hint', async () => {
    const badClass = await report('--class', 'chasis').catch((e: unknown) => e);
    expect(isNetopsError(badClass, 'CONFIG_INVALID') && badClass.message).toBe(
      '--class chasis: unknown class chasis',
    );
    const badDate = await report('--changes-since', 'last tuesday').catch((e: unknown) => e);
    expect(isNetopsError(badDate, 'CONFIG_INVALID') && badDate.hint).toContain('7d');
  });
});
