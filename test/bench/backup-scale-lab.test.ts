/**
 * The backup bench on the netns lab's scale namespace (what `--lab auto` takes beyond 2,000
 * devices, root needed), at its smoke size, as a user runs it: netops backs up every scale device
 * from the lab's management namespace, over SSH and by tftp-cli, and the result says which lab it
 * was and where the latency bound's write count came from. No figure is asserted.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/node-process.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-bench-scale-lab-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('backup bench on the netns scale lab', () => {
  it.for(['show', 'tftp-cli'])(
    '--lab netns --method %s backs up every scale device twice and names the lab',
    { timeout: 300_000 },
    async (method) => {
      const out = path.join(dir, method);
      const run = await runNode([
        'bench/run.mjs',
        'backup',
        '--smoke',
        '--lab',
        'netns',
        '--method',
        method,
        '--out',
        out,
      ]);
      expect(run.code, run.stderr).toBe(0);
      const [file] = await readdir(out);
      const result = JSON.parse(await readFile(path.join(out, file!), 'utf8')) as {
        parameters: { devices: number; lab: string; method: string };
        notes: string[];
      };
      expect(result.parameters).toMatchObject({ devices: 4, lab: 'netns', method });
      expect(result.notes[0]).toContain('exit 0, 4 changed, 0 unchanged, 0 failed');
      expect(result.notes[1]).toContain('exit 0, 0 changed, 4 unchanged, 0 failed');
      expect(result.notes[2]).toMatch(
        /^lab: netns lab scale namespace \(1 simulator processes\); delayed writes per device counted on a two-device loopback lab in the same run \(\d+\.\d\)$/,
      );
    },
  );
});
