/**
 * An import source in a job's `inventory:` is checked with the job, before anything is read or
 * contacted: an unknown source, a missing file, the wrong kind of location or an option the
 * importer does not know is an error at its line and column, naming what is expected.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJobFile } from '../../../src/cli/load.js';
import { ConfigInvalidError } from '../../../src/config/diagnostics.js';
import { useTempDir } from '../../helpers/fixture.js';

const dir = useTempDir('netops-import-entry-');

async function jobErrors(inventory: string): Promise<string[]> {
  await mkdir(path.join(dir, 'jobs'), { recursive: true });
  await writeFile(path.join(dir, 'router.db'), '127.0.0.1;cisco;up\n');
  const file = path.join(dir, 'jobs', 'job.yaml');
  await writeFile(file, `inventory:\n${inventory}\nsteps:\n  - task: reachable\n`);
  const error = await loadJobFile(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigInvalidError);
  return (error as ConfigInvalidError).issues.map(
    (i) => `${i.pos.line}:${i.pos.col} ${i.path}: ${i.message}`,
  );
}

describe('an import source in a job', () => {
  it('is checked against the importer names', async () => {
    expect(await jobErrors('  - { from: librenms, path: ../router.db }')).toEqual([
      expect.stringMatching(
        /^2:13 inventory\[0\]\.from: expected one of "rancid", .*"netbox", found "librenms"$/,
      ),
    ]);
  });

  it('needs the location its importer reads, relative to the job file', async () => {
    expect(await jobErrors('  - { from: rancid, url: "https://x" }')).toEqual([
      '2:5 inventory[0]: rancid reads a file: give `path`, not `url`',
    ]);
    expect(await jobErrors('  - { from: netbox }')).toEqual([
      '2:5 inventory[0]: netbox needs `url`: the server URL',
    ]);
    expect(await jobErrors('  - { from: rancid, path: router.db }')).toEqual([
      '2:27 inventory[0].path: rancid source "router.db" does not exist',
    ]);
  });

  it('refuses an option the importer does not know, listing the ones it does', async () => {
    expect(
      await jobErrors('  - from: rancid\n    path: ../router.db\n    cloginrc: .cloginrc\n    grup: core'),
    ).toEqual([
      '5:5 inventory[0].grup: unknown field "grup"; expected one of: cloginrc, group, platformMap, secretsDir',
    ]);
  });

  it('accepts files and sources side by side, and keeps them in order', async () => {
    await writeFile(path.join(dir, 'common.yaml'), 'defaults: { port: 22 }\n');
    const file = path.join(dir, 'jobs', 'ok.yaml');
    await writeFile(
      file,
      'inventory: [../common.yaml, { from: rancid, path: ../router.db, group: core }]\nsteps:\n  - task: reachable\n',
    );
    const job = await loadJobFile(file);
    expect(job.inventoryFiles).toEqual([
      path.join(dir, 'common.yaml'),
      {
        from: 'rancid',
        location: path.join(dir, 'router.db'),
        options: { group: 'core' },
        baseDir: path.join(dir, 'jobs'),
      },
    ]);
  });
});
