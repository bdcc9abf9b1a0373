/**
 * `netops lab images build` keeps the images of the current inputs and removes this project's
 * superseded ones (root, podman): an image of an older sim tag and one of the retired tftpd kind go
 * and are named in the output; one a container uses and one a live `lab up` holds stay; `latest`
 * names the current image again, also when it was left on a superseded one. The superseded images are stand-ins imported from an empty tar (seconds,
 * not a 280 MB build); each has its own image id, as a real superseded build has.
 */
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { holdImages } from '../../../src/lab/container/image-prune.js';
import { runNetops } from '../../helpers/netops-cli.js';

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
