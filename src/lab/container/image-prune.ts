/**
 * Superseded lab images go after each build: every input change (a new dist/ for the sim image)
 * makes a new 280 MB image, and nothing else ever removes the old ones. Kept: the images of the
 * current inputs, those another checkout of this machine uses (image-checkouts.ts), any image a
 * container uses (any state, buildah's too), and any image a live process holds. A hold covers the window between a `lab up` finding its images (under the build
 * lock) and its containers existing, when no container yet shows that the image is needed: another
 * checkout's build with other inputs could otherwise prune it in between. Only this project's
 * repositories (`netops-lab/*`) are touched, also those of image kinds the lab no longer builds.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { currentHolder, holderAlive, type LockHolder } from '../../core/lock-file.js';
import { checkoutImages } from './image-checkouts.js';
import { cacheFolder } from './images.js';
import { podman } from './podman.js';

const holdsFolder = () => path.join(cacheFolder(), 'holds');

interface Hold {
  readonly holder: LockHolder;
  /** `netops-lab/KIND:TAG` */
  readonly images: readonly string[];
}

/** Keeps `images` from being pruned until the returned release is called (or this process ends). */
export async function holdImages(images: readonly string[]): Promise<() => Promise<void>> {
  await mkdir(holdsFolder(), { recursive: true });
  const file = path.join(holdsFolder(), `${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const hold: Hold = { holder: currentHolder('lab up'), images };
  await writeFileAtomic(file, `${JSON.stringify(hold)}\n`);
  return () => rm(file, { force: true });
}

/** Images held by live processes; the files of holders that are gone are removed. */
async function heldImages(): Promise<Set<string>> {
  const held = new Set<string>();
  const files = await readdir(holdsFolder()).catch(() => [] as string[]);
  for (const name of files.filter((f) => f.endsWith('.json'))) {
    const file = path.join(holdsFolder(), name);
    const hold = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Partial<Hold>;
    if (hold.holder && holderAlive(hold.holder)) for (const image of hold.images ?? []) held.add(image);
    else await rm(file, { force: true });
  }
  return held;
}

interface ListedImage {
  /** Full image id, without `sha256:`. */
  readonly id: string;
  /** `netops-lab/KIND:TAG` (podman's `localhost/` left off). */
  readonly name: string;
}

async function projectImages(): Promise<ListedImage[]> {
  const { stdout } = await podman([
    ...['images', '--no-trunc', '--filter', 'reference=netops-lab/*'],
    ...['--format', '{{.ID}} {{.Repository}}:{{.Tag}}'],
  ]);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((fields): fields is [string, string] => fields.length === 2)
    .map(([id, name]) => ({ id: id.replace(/^sha256:/, ''), name: name.replace(/^localhost\//, '') }));
}

/** Ids (podman's short form) of the images of every container, buildah's build containers included. */
async function imagesInUse(): Promise<string[]> {
  const { stdout } = await podman(['ps', '--all', '--external', '--format', '{{.ImageID}}']);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** `netops-lab/KIND:latest` for `netops-lab/KIND:TAG`. */
const latestOf = (name: string) => `${name.slice(0, name.lastIndexOf(':'))}:latest`;

/** Each repository's `latest` onto its image in `current`, where it is not there already. */
async function pointLatestAt(current: readonly string[], listed: readonly ListedImage[]): Promise<void> {
  const idOf = (name: string) => listed.find((i) => i.name === name)?.id;
  for (const name of current)
    if (idOf(latestOf(name)) !== idOf(name)) await podman(['tag', name, latestOf(name)]);
}

/**
 * Moves each repository's `latest` to its image in `current`, then removes every `netops-lab/*`
 * name whose image is neither one of `current`, nor a live checkout's, nor used by a container, nor
 * held; returns the
 * names removed (sorted). Layers go before the bases they stand on. Run under the build lock, so no
 * build of this machine runs meanwhile. With nothing superseded it costs one `podman images`.
 */
export async function pruneSupersededImages(current: readonly string[]): Promise<string[]> {
  const listed = await projectImages();
  await pointLatestAt(current, listed);
  const keepNames = new Set([...current, ...(await checkoutImages()), ...(await heldImages())]);
  const keptIds = new Set(listed.filter((i) => keepNames.has(i.name)).map((i) => i.id));
  // The listing is from before `latest` moved: those names are on the current images now.
  const moved = new Set(current.map(latestOf));
  const candidates = listed.filter((i) => !keptIds.has(i.id) && !moved.has(i.name));
  if (candidates.length === 0) return [];
  const inUse = await imagesInUse();
  const superseded = candidates.filter((i) => !inUse.some((id) => i.id.startsWith(id))).map((i) => i.name);
  const isBase = (name: string) => name.startsWith('netops-lab/base:');
  for (const batch of [superseded.filter((n) => !isBase(n)), superseded.filter(isBase)])
    if (batch.length > 0) await podman(['rmi', ...batch], { allowFailure: true });
  const left = new Set((await projectImages()).map((i) => i.name));
  return superseded.filter((name) => !left.has(name)).sort();
}
