/**
 * The TFTP bench with `--rounds 3`: the concurrent uploads go to ours and to each floor three times in
 * turns, the notes give every round's CPU per DATA packet and the rows the round with ours' median,
 * beside that same round's floors. No figure is asserted.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/node-process.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-bench-tftp-rounds-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Result {
  readonly parameters: { rounds: number; devices: number };
  readonly rows: { measure: string; netops: number; baseline?: number }[];
  readonly notes: string[];
}

describe('tftp bench, several rounds', () => {
  it("--rounds 3: the per-packet rows are the round with ours' median", { timeout: 300_000 }, async () => {
    const out = path.join(dir, 'out');
    const run = await runNode(['bench/run.mjs', 'tftp', '--smoke', '--rounds', '3', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const [file] = await readdir(out);
    const result = JSON.parse(await readFile(path.join(out, file!), 'utf8')) as Result;
    const { devices } = result.parameters;
    const note = result.notes.find((n) => n.startsWith(`${devices} concurrent uploads, each of 3 rounds`));
    const figures = (name: string) =>
      new RegExp(`${name} ([\\d.]+), ([\\d.]+), ([\\d.]+)`)
        .exec(note ?? '')
        ?.slice(1)
        .map(Number);
    const ours = figures('ours');
    const floor = figures("Node's dgram floor");
    expect(ours, note).toHaveLength(3);
    expect(floor, note).toHaveLength(3);
    const median = [...ours!].sort((a, b) => a - b)[1]!;
    const round = ours!.indexOf(median);
    const row = result.rows.find((r) => r.measure.endsWith('server CPU per DATA packet (its ACK included)'));
    expect(row!.netops.toFixed(1)).toBe(median.toFixed(1));
    // The floor beside it is the same round's, not another round's or a median of its own.
    expect(row!.baseline!.toFixed(1)).toBe(floor![round]!.toFixed(1));
    const intact = result.rows.find((r) => r.measure.endsWith('uploads: received intact'));
    expect(intact!.netops).toBe(devices);
  });
});
