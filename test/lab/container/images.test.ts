/**
 * `netops lab images build` keeps the images of the current inputs and removes this project's
 * superseded ones (root, podman): an image of an older sim tag and one of the retired tftpd kind go
 * and are named in the output; one a container uses and one a live `lab up` holds stay; `latest`
 * names the current image again, also when it was left on a superseded one. The superseded images are stand-ins imported from an empty tar (seconds,
 * not a 280 MB build); each has its own image id, as a real superseded build has.
 * Two checkouts of netops on one machine (copies of dist/ with a file of their own in the compiled
 * lab, so each has its own sim image) keep each other's images; a deleted checkout's go.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { holdImages } from '../../../src/lab/container/image-prune.js';
import { useTempDir } from '../../helpers/fixture.js';
import { netopsBin, runNetops, type CliResult } from '../../helpers/netops-cli.js';

interface Output {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function podman(args: readonly string[], input?: Buffer): Promise<Output> {
  return new Promise((resolve) => {
    const child = execFile(
      'podman',
      ['--runtime', 'runc', ...args],
      { timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/** An empty tar archive: two 512-byte zero blocks. */
const emptyTar = Buffer.alloc(1024);
const suffix = process.pid.toString(16).padStart(8, '0');
const stand = {
  superseded: `netops-lab/sim:ffff0000${suffix}`,
  retired: `netops-lab/tftpd:ffff0001${suffix}`,
  inUse: `netops-lab/frr:ffff0002${suffix}`,
  held: `netops-lab/sim:ffff0003${suffix}`,
};
const container = `netops-test-images-${suffix}`;

const imageId = async (name: string) =>
  (await podman(['image', 'inspect', '--format', '{{.Id}}', name])).stdout.trim();

afterAll(async () => {
  await podman(['rm', '--force', container]);
  await podman(['rmi', '--force', ...Object.values(stand)]);
});

describe('netops lab images build removes superseded images', () => {
  it('keeps the current, used and held images and names what it removed', async () => {
    const first = await runNetops(['lab', 'images', 'build', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const current = (JSON.parse(first.stdout) as { images: { name: string }[] }).images.map((i) => i.name);
    expect(current.map((name) => name.split(':')[0])).toEqual([
      'netops-lab/base',
      'netops-lab/sim',
      'netops-lab/frr',
    ]);

    // Distinct images (an import with its own message each), as superseded builds are.
    for (const [role, name] of Object.entries(stand)) {
      const made = await podman(['import', '--message', role, '-', name], emptyTar);
      expect(made.code, made.stderr).toBe(0);
    }
    // `latest` left on a superseded image (as a build from other inputs leaves it) moves back.
    expect((await podman(['tag', stand.superseded, 'netops-lab/sim:latest'])).code).toBe(0);
    const created = await podman(['create', '--name', container, stand.inUse, '/none']);
    expect(created.code, created.stderr).toBe(0);
    const release = await holdImages([stand.held]);

    const second = await runNetops(['lab', 'images', 'build']);
    await release();
    expect(second.code, second.stderr).toBe(0);
    for (const name of current) expect(second.stdout).toContain(`${name}: cached`);
    for (const name of [stand.superseded, stand.retired]) {
      expect(second.stdout).toContain(`${name}: removed (superseded, no container uses it)`);
      expect((await podman(['image', 'exists', name])).code).toBe(1);
    }
    expect(second.stdout).not.toContain(':latest: removed');
    for (const name of [stand.inUse, stand.held]) {
      expect(second.stdout).not.toContain(name);
      expect((await podman(['image', 'exists', name])).code).toBe(0);
    }
    for (const name of current) {
      expect((await podman(['image', 'exists', name])).code).toBe(0);
      const latest = `${name.split(':')[0]}:latest`;
      expect(await imageId(latest)).toBe(await imageId(name));
    }
  });
});

const checkouts = useTempDir('netops-checkouts-');
/** The work tree under test: dist/, package.json, src/ (the images folder), node_modules/. */
const tree = path.resolve(path.dirname(netopsBin), '../..');

/** Another checkout of the same netops: its own dist/ (with a file of its own in the compiled lab). */
async function makeCheckout(name: string): Promise<string> {
  const dir = path.join(checkouts, name);
  await mkdir(dir);
  await cp(path.join(tree, 'dist'), path.join(dir, 'dist'), { recursive: true });
  await copyFile(path.join(tree, 'package.json'), path.join(dir, 'package.json'));
  for (const linked of ['src', 'node_modules'])
    await symlink(path.join(tree, linked), path.join(dir, linked));
  await writeFile(path.join(dir, 'dist', 'lab', 'checkout.txt'), `${name} ${suffix}\n`);
  return dir;
}

interface Build {
  readonly images: { name: string; cached: boolean }[];
  readonly removed: string[];
}

const parsed = (result: CliResult): Build => {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Build;
};

/** `netops lab images build --json` run from `checkout`'s own bin. */
const buildIn = async (checkout: string): Promise<Build> =>
  parsed(
    await new Promise<CliResult>((resolve) => {
      const bin = path.join(checkout, 'dist', 'cli', 'bin.cjs');
      execFile(
        process.execPath,
        [bin, 'lab', 'images', 'build', '--json'],
        { env: { ...process.env, NO_COLOR: '1' }, timeout: 900_000, maxBuffer: 16 << 20 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
            signal: null,
            stdout,
            stderr,
          }),
      );
    }),
  );

const simOf = (build: Build) => build.images.find((i) => i.name.startsWith('netops-lab/sim:'))!.name;
const exists = async (name: string) => (await podman(['image', 'exists', name])).code === 0;
/** Ids of the images the checkouts built: by id, every name goes with them (`latest` too, which the next build of the work tree puts back). */
const built: string[] = [];

afterAll(async () => {
  if (built.length > 0) await podman(['rmi', '--force', ...built]);
});

describe('two checkouts on one machine', () => {
  it("keep each other's images; the images of a checkout that is gone are removed", async () => {
    const [one, two] = [await makeCheckout('one'), await makeCheckout('two')];
    const simOne = simOf(await buildIn(one));
    built.push(await imageId(simOne));
    const second = await buildIn(two);
    const simTwo = simOf(second);
    built.push(await imageId(simTwo));
    expect(simTwo).not.toBe(simOne);
    // Once, each build removed the other checkout's sim image, and the next build of that checkout made it again.
    expect(second.removed).not.toContain(simOne);
    expect(await exists(simOne)).toBe(true);

    const again = await buildIn(one);
    expect(again.images.filter((i) => !i.cached)).toEqual([]);
    expect(again.removed).not.toContain(simTwo);
    expect(await exists(simTwo)).toBe(true);

    await rm(one, { recursive: true, force: true });
    await rm(two, { recursive: true, force: true });
    parsed(await runNetops(['lab', 'images', 'build', '--json']));
    // Gone once a build has run: this one, or another test file's that ran meanwhile (each prunes
    // the images of checkouts that are gone, so its list of removed images may hold them instead).
    for (const name of [simOne, simTwo]) expect(await exists(name)).toBe(false);
  }, 1_800_000);
});
