/**
 * docs/backup.md: "a host's first copy is marked `created`". Checked where an engineer looks: the
 * console line of the run, the store's commit message, and the run record (which validates against
 * docs/schema/run-record.schema.json); the next run of an unchanged device says `unchanged`.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useBackupLab } from '../helpers/labs.js';

const t = useBackupLab({ devices: 1, platforms: ['ios'], bootMs: 200 });

describe('a first backup', () => {
  it('says created on the console, in the commit and in the record; the next run says unchanged', async () => {
    const job = await t.job('first', { method: 'tftp-cli' });
    const first = await runNetops(['run', job, '--limit', 'r1'], { cwd: t.dir, env: t.env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^r1 +changed .*tftp-cli, \d+ bytes, created$/m);

    const message = execFileSync('git', ['-C', path.join(t.dir, 'store'), 'log', '-1', '--format=%B'], {
      encoding: 'utf8',
    });
    expect(message).toContain('r1: first copy stored (via tftp-cli)');
    expect(message).not.toContain('config changed');

    const records = path.join(t.dir, 'runs'); // next to the job file, which is in t.dir
    const [file] = (await readdir(records)).filter((f) => f.endsWith('.json'));
    const record = runRecordSchema.parse(JSON.parse(await readFile(path.join(records, file!), 'utf8')));
    expect(record.hosts[0]?.steps[0]?.data).toMatchObject({ created: true, changed: true, diff: '' });

    const second = await runNetops(['run', job, '--limit', 'r1'], { cwd: t.dir, env: t.env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^r1 +ok .*tftp-cli, \d+ bytes, unchanged$/m);
  });
});
