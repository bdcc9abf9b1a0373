/**
 * A year of nightly backups stays small: 365 runs of 200 switches, a few of them changing a few
 * lines each night, written through GitStore's write and commit path as a run writes them (every
 * host's config, then the run's commit, tag and maintenance, as `close()` does). The store is
 * opened once for the year: opening (lock, repairs) is not what makes a repository grow. The
 * repository stays under the size stated in docs/store.md, and its history is whole. How fast `git log -p` reads it is a figure of the store-history bench,
 * not something a test on a shared machine can assert.
 */
import { execFileSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleet, nightOfChanges, seeded, text } from '../../bench/store-history/fleet.mjs';
import { GitStore } from '../../src/store/git-store.js';
import { configPath } from '../../src/store/paths.js';
import { useTempDir } from '../helpers/fixture.js';

const NIGHTS = 365;
const DEVICES = 200;
/** The bound docs/store.md states for this fleet ("Maintenance"). */
const MAX_BYTES = 4 * 1024 * 1024;

const dir = path.join(useTempDir('netops-store-size-'), 'store');
const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

async function bytesUnder(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function night(store: GitStore, day: number, configs: ReturnType<typeof fleet>): Promise<number> {
  const startedAt = new Date(Date.UTC(2026, 0, 1 + day, 2)).toISOString();
  const written = await Promise.all(configs.map((c) => store.write(configPath(c.name), text(c))));
  const changed = written.filter((w) => w.changed).length;
  await store.commit({
    runId: `${startedAt.replace(/[:.]/g, '-')}-nightly`,
    job: 'nightly',
    startedAt,
    counts: { ok: DEVICES - changed, changed, failed: 0, skipped: 0 },
    failedHosts: [],
    aborted: false,
  });
  await store.maintain();
  return changed;
}

describe('a year of nightly runs', () => {
  it(
    `${NIGHTS} runs of ${DEVICES} devices keep the repository under ${MAX_BYTES / 2 ** 20} MiB`,
    async () => {
      const configs = fleet(DEVICES);
      const random = seeded(2);
      const store = await GitStore.open({ dir });
      let changes = await night(store, 0, configs);
      for (let day = 1; day < NIGHTS; day++) {
        const expected = nightOfChanges(configs, random);
        const changed = await night(store, day, configs);
        expect(changed, `night ${day}`).toBe(expected.length);
        changes += changed;
      }
      await store.release();
      const size = await bytesUnder(path.join(dir, '.git'));
      const counts = git('count-objects', '-v');
      process.stdout.write(
        `repository after ${NIGHTS} runs of ${DEVICES} devices (${changes} host changes): ${size} bytes in .git\n${counts}`,
      );
      expect(size).toBeLessThan(MAX_BYTES);
      // Whole: one commit per night (each changed something), one tag per run, nothing dangling.
      expect(Number(git('rev-list', '--count', 'HEAD'))).toBe(NIGHTS);
      expect(git('tag', '--list', 'run/*').split('\n').filter(Boolean)).toHaveLength(NIGHTS);
      expect(git('fsck', '--no-progress', '--no-dangling')).toBe('');
      const host = configs[0]!.name;
      const log = git('log', '-p', '--format=%H', '--', `configs/${host}.cfg`);
      expect(log).toContain(`+hostname ${host}`);
    },
    30 * 60_000,
  );
});
