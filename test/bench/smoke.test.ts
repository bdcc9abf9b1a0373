/**
 * Every bench of the harness at its seconds-long smoke size, through `node bench/run.mjs NAME --smoke`
 * as a user runs it, then `bench/report.mjs` over those results: the benches keep working and the
 * report keeps reading them. No figure is asserted (figures come from full runs, never from tests),
 * so the benches run side by side: most of a smoke run waits (on simulated device latency, peers
 * starting, git), and one after the other they took minutes.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/node-process.js';
import { benches } from '../../bench/benches.mjs';

const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-bench-smoke-'));
const results = path.join(dir, 'results');
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Row {
  readonly measure: string;
  readonly netops: unknown;
  readonly baseline?: unknown;
}

describe('bench harness, smoke size', () => {
  it.concurrent.for(Object.keys(benches))(
    'npm run bench -- %s --smoke: prints its table and writes its result',
    { timeout: 600_000 },
    async (name, { expect }) => {
      const run = await runNode(['--expose-gc', 'bench/run.mjs', name, '--smoke', '--out', results]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^measure +netops +baseline +ratio +goal +met$/m);
      // Its own result only: `store-DATE.json`, not `store-history-DATE.json`.
      const files = (await readdir(results)).filter((f) => new RegExp(`^${name}-\\d{4}-`).test(f));
      expect(files).toEqual([
        expect.stringMatching(new RegExp(`^${name}-\\d{4}-\\d\\d-\\d\\dT[\\d-]+\\.json$`)),
      ]);
      const result = JSON.parse(await readFile(path.join(results, files[0]!), 'utf8')) as {
        name: string;
        smoke: boolean;
        rows: Row[];
        machine: { cpus: number; speedProbeMs: { start: number; end: number } };
        versions: { node: string };
      };
      expect(result).toMatchObject({ name, smoke: true, versions: { node: process.versions.node } });
      expect(result.machine.cpus).toBeGreaterThan(0);
      // The machine's speed at the start and the end, for telling a slow spell from a regression.
      expect(result.machine.speedProbeMs.start).toBeGreaterThan(0);
      expect(result.machine.speedProbeMs.end).toBeGreaterThan(0);
      expect(result.rows.length).toBeGreaterThan(0);
      for (const row of result.rows) {
        expect(Number.isFinite(row.netops), `${row.measure}: netops figure`).toBe(true);
        if (row.baseline !== undefined)
          expect(Number.isFinite(row.baseline), `${row.measure}: baseline`).toBe(true);
      }
    },
  );

  it('bench/report.mjs writes the performance page from those results', async () => {
    const page = path.join(dir, 'performance.md');
    const report = await runNode(['--expose-gc', 'bench/report.mjs', '--results', results, '--out', page]);
    expect(report.code, report.stderr).toBe(0);
    const text = await readFile(page, 'utf8');
    expect(text).toContain('## Goals');
    expect(text).toMatch(/speed probe [\d.]+ ms of CPU at the start, [\d.]+ at the end/);
    for (const name of Object.keys(benches)) expect(text).toContain(`(\`${name}\`)`);
  });
});
