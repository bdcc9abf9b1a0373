/**
 * The backup bench with `--rounds 2`, as a user runs it to see how much a figure varies: each round
 * is a first run and an unchanged run on a store of its own (its first run stores every config
 * again), the rows give the medians and the notes every round. No figure is asserted.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/node-process.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-bench-rounds-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Result {
  readonly parameters: { rounds: number };
  readonly rows: { measure: string; netops: number; baseline?: number }[];
  readonly notes: string[];
}

describe('backup bench, several rounds', () => {
  it(
    '--rounds 2: each round stores every config anew; rows are the medians',
    { timeout: 300_000 },
    async () => {
      const out = path.join(dir, 'out');
      const run = await runNode([
        'bench/run.mjs',
        'backup',
        '--smoke',
        '--lab',
        'loopback',
        '--rounds',
        '2',
        '--out',
        out,
      ]);
      expect(run.code, run.stderr).toBe(0);
      const [file] = await readdir(out);
      const result = JSON.parse(await readFile(path.join(out, file!), 'utf8')) as Result;
      expect(result.parameters.rounds).toBe(2);
      // The smoke size's 4 devices: every round's first run stores all of them, its second none.
      for (const round of [1, 2]) {
        expect(result.notes).toContainEqual(
          expect.stringMatching(
            new RegExp(`^first run \\(round ${round}\\) .*: exit 0, 4 changed, 0 unchanged, 0 failed`),
          ),
        );
        expect(result.notes).toContainEqual(
          expect.stringMatching(
            new RegExp(`^second run \\(round ${round}\\) .*: exit 0, 0 changed, 4 unchanged, 0 failed`),
          ),
        );
      }
      // Each goal figure per round, and the row between them.
      const perRound = result.notes.find((note) => note.startsWith('show, first run, each of 2 rounds'));
      const figures = /CPU per device ([\d.]+), ([\d.]+) ms/.exec(perRound ?? '');
      expect(figures, perRound).not.toBeNull();
      const [low, high] = [Number(figures![1]), Number(figures![2])].sort((a, b) => a - b);
      const row = result.rows.find((r) => r.measure === 'show, first run: CPU per device (netops process)');
      expect(row!.netops).toBeCloseTo((low! + high!) / 2, 1);
      // A wall against its bound is one round's pair: of two rounds, the one with the higher ratio.
      const ratios = /wall against the larger bound ([\d.]+)x, ([\d.]+)x/.exec(perRound ?? '');
      expect(ratios, perRound).not.toBeNull();
      const wall = result.rows.find((r) => r.measure.startsWith('show, first run: wall, 4 devices'));
      expect((wall!.netops / wall!.baseline!).toFixed(2)).toBe(
        Math.max(Number(ratios![1]), Number(ratios![2])).toFixed(2),
      );
    },
  );

  it('--rounds 0 is refused with what to give', { timeout: 60_000 }, async () => {
    const run = await runNode(['bench/run.mjs', 'backup', '--smoke', '--rounds', '0']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('--rounds 0: expected a whole number of rounds, 1 or more');
  });
});
