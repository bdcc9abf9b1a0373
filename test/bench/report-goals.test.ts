/**
 * The performance page's goal verdicts, from two recorded backup results (bench/results/): at 1,000
 * devices the wall goal is judged only on a run that gave netops cores of its own (`--cores N`); there
 * the RSS rows meet their goal and the wall rows do not, so the goal is not met; at 10,000
 * devices only RSS is judged and the wall is reported beside it. A verdict read from the RSS rows
 * alone once said "yes" to a wall 11x its bound.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/fixture.js';
import { runNode } from '../helpers/node-process.js';

const dir = useTempDir('netops-bench-report-');
const recorded = ['backup-2026-11-30T06-06-00.json', 'backup-2026-11-30T06-09-10.json'];

async function goalRow(page: string, goal: string): Promise<string[]> {
  const row = (await readFile(page, 'utf8')).split('\n').find((line) => line.startsWith(`| ${goal}`));
  return (row ?? '').split(' | ');
}

describe('bench/report.mjs goal verdicts', () => {
  it('judges the 1,000-device goal on wall and RSS, the 10,000-device goal on RSS with the wall shown', async () => {
    const results = path.join(dir, 'results');
    await mkdir(results);
    for (const file of recorded) await copyFile(path.join('bench/results', file), path.join(results, file));
    const page = path.join(dir, 'performance.md');
    const report = await runNode(['bench/report.mjs', '--results', results, '--out', page]);
    expect(report.code, report.stderr).toBe(0);

    // That 1,000-device run shared the cores with its lab: the wall goal is not judged on it.
    const shared = await goalRow(page, '1,000 devices at parallelism 100');
    expect(shared[2]).toContain('newest run at other parameters');
    expect(shared[3]).toBe('not measured |');

    // The same run as if netops had had a core of its own (`--cores 1`): judged.
    const pinned = JSON.parse(await readFile(path.join(results, recorded[0]!), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    pinned.parameters.cores = 1;
    await writeFile(path.join(results, 'backup-2026-11-30T05-00-00.json'), JSON.stringify(pinned));
    expect((await runNode(['bench/report.mjs', '--results', results, '--out', page])).code).toBe(0);
    const thousand = await goalRow(page, '1,000 devices at parallelism 100');
    expect(thousand[2]).toContain(
      'show, first run: wall, 1000 devices, parallelism 100: 87.9 s (11.21x CPU bound)',
    );
    expect(thousand[2]).toContain('peak RSS (netops process): 241 MiB');
    expect(thousand[3]).toBe('no |');

    const tenThousand = await goalRow(page, '10,000 devices');
    expect(tenThousand[2]).toContain('show, unchanged: wall, 10000 devices, parallelism 100: 90.4 s');
    expect(tenThousand[2]).toContain('show, unchanged: peak RSS (netops process): 431 MiB');
    expect(tenThousand[3]).toBe('yes |');
  });

  it('lets a peer go unmeasured at 1,000 devices only when its own CPU at 100 already exceeds 15 minutes', async () => {
    const recordedAnsible = 'ansible-2026-11-30T00-28-46.json';
    const peerGoal = 'At least 5x faster than RANCID';
    const pageOf = async (name: string, results: string): Promise<string[]> => {
      const page = path.join(dir, `${name}.md`);
      const report = await runNode(['bench/report.mjs', '--results', results, '--out', page]);
      expect(report.code, report.stderr).toBe(0);
      return goalRow(page, peerGoal);
    };

    // RANCID and Netmiko measured at 100 and 1,000 devices; Ansible at 100 only.
    const measuredPeers = [
      'rancid-2026-11-29T23-07-25.json',
      'rancid-2026-11-30T00-37-22.json',
      'netmiko-2026-11-30T00-34-38.json',
      'netmiko-2026-11-30T00-36-49.json',
    ];
    const withPeers = async (name: string): Promise<string> => {
      const results = path.join(dir, name);
      await mkdir(results);
      for (const file of measuredPeers)
        await copyFile(path.join('bench/results', file), path.join(results, file));
      return results;
    };
    const slow = await withPeers('slow-peer');
    await copyFile(path.join('bench/results', recordedAnsible), path.join(slow, recordedAnsible));
    const allowed = await pageOf('slow-peer', slow);
    // 268 s of Ansible's CPU at 100 devices, x10 devices, over 2 cores: at least 1342 s of wall.
    expect(allowed[2]).toContain('ansible: not measured at 1000 devices: its CPU at 100 (268 s)');
    expect(allowed[2]).toContain('at least 1342 s of wall on 2 cores');
    expect(allowed[3]).toBe('yes |');

    const fast = await withPeers('fast-peer');
    const result = JSON.parse(await readFile(path.join('bench/results', recordedAnsible), 'utf8')) as {
      rows: { measure: string; baseline?: number }[];
    };
    for (const row of result.rows) if (row.measure.startsWith('CPU')) row.baseline = 40;
    await writeFile(path.join(fast, recordedAnsible), JSON.stringify(result));
    const owed = await pageOf('fast-peer', fast);
    expect(owed[2]).toContain('ansible: not measured at 1000 devices');
    expect(owed[2]).not.toContain('its CPU at 100');
    expect(owed[3]).toBe('partly measured |');
  });

  it("points an unmet goal to what was decided about it, and prints that decision's section", async () => {
    const recordedTftp = 'tftp-2026-12-01T03-13-58.json';
    const results = path.join(dir, 'decided');
    await mkdir(results);
    await copyFile(path.join('bench/results', recordedTftp), path.join(results, recordedTftp));
    const page = path.join(dir, 'decided.md');
    const report = await runNode(['bench/report.mjs', '--results', results, '--out', page]);
    expect(report.code, report.stderr).toBe(0);

    const title = 'Hosted TFTP: held to the floor of node:dgram, not to atftpd';
    const tftp = await goalRow(page, 'Hosted TFTP 10 MB');
    expect(tftp[3]).toBe(`no (decided: see [${title}](#decisions)) |`);
    const text = await readFile(page, 'utf8');
    expect(text).toContain(`## Decisions\n`);
    expect(text).toContain(`### ${title}\n`);
    // A goal with no decision keeps its bare verdict.
    expect(text).not.toMatch(/\| (yes|not measured) \(decided/);
  });
});
