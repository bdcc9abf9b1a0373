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
    const chosen = Number(/the rows give round (\d)/.exec(note ?? '')?.[1]) - 1;
    const ours = figures('ours');
    expect(ours, note).toHaveLength(3);
    // The round named is the median of ours.
    expect(ours![chosen]).toBe([...ours!].sort((a, b) => a - b)[1]);
    const perPacket = result.rows.filter((r) =>
      /server CPU per DATA packet(, against| \(its ACK)/.test(r.measure),
    );
    const floors: [string, RegExp][] = [
      ["Node's dgram floor", /\(its ACK included\)$/],
      ['batch addon floor', /against bare sockets on a batch addon$/],
      ['C floor', /against bare sockets in C$/],
    ];
    for (const [name, measure] of floors) {
      // The batch and C floors need gcc, which `npm test` installs (scripts/install-deps.sh).
      const row = perPacket.find((r) => measure.test(r.measure));
      expect(row, name).toBeDefined();
      expect(row!.netops.toFixed(1), name).toBe(ours![chosen]!.toFixed(1));
      // Beside it, the same round's floor, not another round's or a median of its own.
      expect(row!.baseline!.toFixed(1), name).toBe(figures(name)![chosen]!.toFixed(1));
    }
    const intact = result.rows.find((r) => r.measure.endsWith('uploads: received intact'));
    expect(intact!.netops).toBe(devices);
  });
});
