/**
 * A worker's tasks write to a store that only captures (runner/capture-store.ts); the host's result
 * says changed or unchanged and shows a diff from it. Those must be what the coordinator's real
 * store says when it then writes the same file, or the record and the commit would disagree.
 */
import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../src/runner/capture-store.js';
import { GitStore, type WriteResult } from '../../src/store/git-store.js';
import { useStateDir, useTempDir } from '../helpers/fixture.js';

useStateDir();
const dir = useTempDir('netops-capture-');

const before = ['hostname r1', 'interface Gi0/1', ' description uplink', ' no shutdown', 'end', ''].join(
  '\n',
);
const after = ['hostname r1', 'interface Gi0/1', ' description core uplink', ' no shutdown', 'end', ''].join(
  '\n',
);

/**
 * What the host's result takes from a write. Not the blob id: only a repository knows how it hashes
 * (the capture's record then has no source, and the host's next backup takes the full path).
 */
const reported = ({ changed, diff }: WriteResult) => ({ changed, diff });

describe('the capture store', () => {
  it('reports first copies, changes and no change with the diffs the git store gives', async () => {
    const store = await GitStore.open({ dir });
    try {
      const first = await new CaptureStore(dir, {}).write('configs/r1.cfg', before, 'r1: first');
      expect(reported(first)).toEqual(reported(await store.write('configs/r1.cfg', before, 'r1: first')));
      expect(first.blob).toBeUndefined();
      await store.commit({
        job: 'capture',
        startedAt: new Date().toISOString(),
        counts: { ok: 0, changed: 1, failed: 0, skipped: 0 },
        failedHosts: [],
        aborted: false,
      });

      const capture = new CaptureStore(dir, { 'configs/r1.cfg': before });
      const changed = await capture.write('configs/r1.cfg', after, 'r1: changed');
      expect(changed.changed).toBe(true);
      expect(reported(changed)).toEqual(reported(await store.write('configs/r1.cfg', after, 'r1: changed')));
      expect(capture.artefacts()).toEqual([
        { kind: 'write', path: 'configs/r1.cfg', content: after, note: 'r1: changed' },
      ]);

      const same = new CaptureStore(dir, { 'configs/r1.cfg': before });
      expect(await same.write('configs/r1.cfg', before)).toEqual({ changed: false, diff: '' });
      expect(same.artefacts()).toEqual([]);
    } finally {
      await store.release();
    }
  });

  it('answers reads with the copies the coordinator sent, and keeps rejected configs aside', async () => {
    const capture = new CaptureStore(dir, { 'configs/r1.cfg': before });
    expect(await capture.read('configs/r1.cfg')).toBe(before);
    expect(await capture.read('facts/r1.json')).toBeUndefined();
    expect(await capture.keepAside('configs/r1.cfg', 'half', 'TRUNCATED')).toBe('rejected/configs/r1.cfg');
    expect(capture.artefacts()).toEqual([
      { kind: 'aside', path: 'configs/r1.cfg', content: 'half', reason: 'TRUNCATED' },
    ]);
  });
});
