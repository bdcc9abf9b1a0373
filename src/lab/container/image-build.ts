/**
 * `netops lab images build`: makes every lab image that is missing for its current inputs, in order
 * (the layers need the base), under a lock so two builds on one machine (parallel test files, two
 * users) never run at once: the second waits, then finds the images built. Each build writes its
 * log to CACHE/lab-images/logs/KIND-TAG.log, kept after success and failure alike. Still under the
 * lock, the images the current inputs superseded are removed (image-prune.ts).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { acquireLockFile, currentHolder, describeHolder, releaseLockFile } from '../../core/lock-file.js';
import { recordCheckoutImages } from './image-checkouts.js';
import { holdImages, pruneSupersededImages } from './image-prune.js';
import {
  cacheFolder,
  compiledRoot,
  imageKinds,
  imageName,
  resolveImages,
  debianSuite,
  baseDpkgOptions,
  type ImageKind,
  type ImageRef,
  type ImageSources,
} from './images.js';
import { podman, podmanBin, ulimitFlags } from './podman.js';

export interface BuiltImage {
  readonly name: string;
  /** It existed already for these inputs. */
  readonly cached: boolean;
  readonly seconds: number;
  readonly log?: string;
}

export async function imageExists(ref: ImageRef): Promise<boolean> {
  return (await podman(['image', 'exists', imageName(ref)], { allowFailure: true })).code === 0;
}

/** Runs `argv` with its output appended to `log`; stdin from `input` (a pipe from another child). */
function logged(argv: readonly string[], log: string, input?: NodeJS.ReadableStream): Promise<number> {
  const fd = openSync(log, 'a');
  const [command = '', ...args] = argv;
  const child = spawn(command, args, { stdio: [input ? 'pipe' : 'ignore', fd, fd] });
  if (input && child.stdin) input.pipe(child.stdin);
  return new Promise((resolve) => {
    child.on('error', () => resolve(127));
    child.on('close', (code) => {
      closeSync(fd);
      resolve(code ?? 1);
    });
  });
}

async function packages(ref: ImageRef): Promise<string[]> {
  const file = ref.inputs.files.get('base/packages');
  if (!file) throw new Error('the base image has no package list');
  return (await readFile(file, 'utf8')).split('\n').filter((line) => /^[a-z0-9]/.test(line));
}

/** mmdebstrap writes the tar to its stdout, `podman import` reads it: no 200 MB file in between. */
async function buildBase(ref: ImageRef, log: string): Promise<boolean> {
  const include = (await packages(ref)).join(',');
  const fd = openSync(log, 'a');
  const debootstrap = spawn(
    'mmdebstrap',
    [
      '--variant=apt',
      `--include=${include}`,
      ...baseDpkgOptions.map((option) => `--dpkgopt=${option}`),
      // The host has just installed most of these packages (scripts/install-deps.sh): hard links to
      // its downloaded .debs spare the download; apt checks each against the index and fetches the rest.
      '--skip=essential/unlink',
      '--setup-hook=mkdir -p "$1"/var/cache/apt/archives',
      '--setup-hook=cp -l /var/cache/apt/archives/*.deb "$1"/var/cache/apt/archives/ 2>/dev/null || true',
      // Every device makes its own host keys: none baked into the image.
      '--customize-hook=rm -f "$1"/etc/ssh/ssh_host_*',
      `--customize-hook=copy-in ${ref.inputs.files.get('lab-start.sh') ?? ''} /usr/local/sbin`,
      '--customize-hook=mv "$1"/usr/local/sbin/lab-start.sh "$1"/usr/local/sbin/lab-start',
      debianSuite,
      '-',
    ],
    { stdio: ['ignore', 'pipe', fd] },
  );
  const exited = new Promise<number>((resolve) => {
    debootstrap.on('error', () => resolve(127));
    debootstrap.on('close', (code) => resolve(code ?? 1));
  });
  const imported = logged(
    [podmanBin, 'import', '--change', 'CMD ["/bin/bash"]', '-', imageName(ref)],
    log,
    debootstrap.stdout ?? undefined,
  );
  const [made, loaded] = await Promise.all([exited, imported]);
  closeSync(fd);
  return made === 0 && loaded === 0;
}

async function buildLayer(ref: ImageRef, base: ImageRef, log: string): Promise<boolean> {
  const context = path.join(cacheFolder(), 'context', `${ref.kind}-${ref.tag}`);
  await rm(context, { recursive: true, force: true });
  for (const [at, file] of ref.inputs.files) {
    await mkdir(path.dirname(path.join(context, at)), { recursive: true });
    await copyFile(file, path.join(context, at));
  }
  try {
    const argv = [
      ...[podmanBin, '--runtime', 'runc', 'build', ...ulimitFlags, '--runtime', 'runc'],
      ...['--build-arg', `BASE=${imageName(base)}`, '--label', `netops.lab.inputs=${ref.tag}`],
      ...['-f', path.join(context, ref.kind, 'Containerfile'), '-t', imageName(ref), context],
    ];
    return (await logged(argv, log)) === 0;
  } finally {
    // The staged context holds a copy of node (about 100 MB): the image has it now.
    await rm(context, { recursive: true, force: true });
  }
}

async function buildOne(ref: ImageRef, base: ImageRef): Promise<BuiltImage> {
  const started = Date.now();
  if (await imageExists(ref)) return { name: imageName(ref), cached: true, seconds: 0 };
  const logs = path.join(cacheFolder(), 'logs');
  await mkdir(logs, { recursive: true });
  const log = path.join(logs, `${ref.kind}-${ref.tag}.log`);
  await writeFile(log, `# ${imageName(ref)} built ${new Date().toISOString()}\n`);
  const ok = ref.kind === 'base' ? await buildBase(ref, log) : await buildLayer(ref, base, log);
  if (!ok) {
    await podman(['rmi', '-f', imageName(ref)], { allowFailure: true });
    throw new NetopsError('LAB_FAILED', `building ${imageName(ref)} failed; its log is ${log}`, {
      hint: 'Read the end of the log; `netops lab doctor --mode container` checks podman, runc and mmdebstrap.',
    });
  }
  // `latest` names the newest build, for users and for exported topologies.
  await podman(['tag', imageName(ref), `${ref.repository}:latest`]);
  return { name: imageName(ref), cached: false, seconds: (Date.now() - started) / 1000, log };
}

export interface ImageBuild {
  /** The current images, in build order. */
  readonly images: BuiltImage[];
  /** Superseded images removed (`netops-lab/KIND:TAG`). */
  readonly removed: string[];
}

/** Builds what is missing, records the images as this checkout's (`sources.root`), prunes the rest. */
async function buildAndPrune(refs: Record<ImageKind, ImageRef>, sources: ImageSources): Promise<ImageBuild> {
  const images: BuiltImage[] = [];
  for (const kind of imageKinds) images.push(await buildOne(refs[kind], refs.base));
  const names = images.map((i) => i.name);
  await recordCheckoutImages(path.resolve(sources.root ?? compiledRoot()), names);
  return { images, removed: await pruneSupersededImages(names) };
}

export async function buildImages(sources: ImageSources = {}): Promise<ImageBuild> {
  const refs = await resolveImages(sources);
  return withBuildLock(() => buildAndPrune(refs, sources));
}

/**
 * Builds what is missing and holds the current images for `work` (a `lab up` until its containers
 * exist): the hold is taken before the build lock is released, so no prune can come in between.
 */
export async function withLabImages<T>(
  sources: ImageSources,
  work: (build: ImageBuild) => Promise<T>,
): Promise<T> {
  const refs = await resolveImages(sources);
  const { build, release } = await withBuildLock(async () => {
    const made = await buildAndPrune(refs, sources);
    return { build: made, release: await holdImages(made.images.map((i) => i.name)) };
  });
  try {
    return await work(build);
  } finally {
    await release();
  }
}

const lockFile = () => path.join(cacheFolder(), 'build.lock');

/**
 * One build at a time per machine: a lock file naming its holder (core/lock-file.ts: a holder that
 * is provably gone is taken over, and two processes taking over the same stale lock cannot both win).
 */
export async function withBuildLock<T>(work: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  const me = currentHolder('lab images build');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taken = await acquireLockFile(lockFile(), me);
    if (taken.ok) break;
    if (Date.now() > deadline)
      throw new NetopsError(
        'LAB_FAILED',
        `another image build holds ${lockFile()}${taken.holder ? ` (${describeHolder(taken.holder)})` : ''}`,
        {
          hint: 'Wait for it to end, or end it; a lock of a process that is gone is taken over.',
          transient: true,
        },
      );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  try {
    return await work();
  } finally {
    await releaseLockFile(lockFile(), me);
  }
}
