/**
 * The backup bench with `--cores 1`, as a user runs it on a machine of two cores or more: netops (and
 * the git processes it starts) on core 0, the lab (this bench's process, or the netns lab's simulator
 * processes) on the others, each as /proc reads it during the run, and the CPU bound taken over
 * netops' one core. On one core the bench refuses with what to do instead. No figure is asserted.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/node-process.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-bench-cores-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const cores = os.cpus().length;
const others = cores === 2 ? '1' : `1-${cores - 1}`;

interface Result {
  readonly parameters: { cores: number; lab: string };
  readonly rows: { measure: string; baselineName?: string }[];
  readonly notes: string[];
}

describe('backup bench, netops on cores of its own', () => {
  it.for(['loopback', 'netns'])(
    '--cores 1 --lab %s: netops runs on core 0, the lab on the others',
    { timeout: 300_000 },
    async (lab) => {
      const out = path.join(dir, lab);
      const run = await runNode([
        'bench/run.mjs',
        'backup',
        '--smoke',
        '--cores',
        '1',
        '--lab',
        lab,
        '--out',
        out,
      ]);
      if (cores < 2) {
        expect(run.code).not.toBe(0);
        expect(run.stderr).toContain('--cores 1: expected all, or 1 to 0');
        return;
      }
      expect(run.code, run.stderr).toBe(0);
      const [file] = await readdir(out);
      const result = JSON.parse(await readFile(path.join(out, file!), 'utf8')) as Result;
      expect(result.parameters).toMatchObject({ cores: 1, lab });
      for (const note of result.notes.slice(0, 2))
        expect(note).toContain(`s CPU / 1 core of its own: /proc allowed it 0, the lab ${others});`);
      expect(
        result.rows.filter(
          (row) =>
            row.baselineName === 'CPU bound' || row.baselineName === 'netops process tree CPU / 1 core',
        ),
      ).toHaveLength(4);
    },
  );
});
