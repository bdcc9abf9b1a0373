/**
 * The container lab's images, built here (no registry is reachable): `netops-lab/base` from Debian
 * packages by mmdebstrap piped into `podman import`, then small `podman build` layers on it:
 * `netops-lab/sim` (this machine's node binary and the compiled lab) and `netops-lab/frr`. Each image is tagged with a hash of its inputs (package list, Containerfile,
 * files copied in, the base's tag), so an image whose inputs did not change is found and kept, and
 * any change builds a new one. Logs are kept in the cache folder.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ImageKind = 'base' | 'sim' | 'frr';
export const imageKinds: readonly ImageKind[] = ['base', 'sim', 'frr'];

/** Where images' build logs, staged contexts, holds and the lock live: $NETOPS_CACHE or /var/cache/netops. */
export const cacheFolder = (): string =>
  path.join(process.env.NETOPS_CACHE ?? '/var/cache/netops', 'lab-images');

/** The Debian release every image is made of. */
export const debianSuite = 'bookworm';

/** dpkg leaves out what no lab device reads (manuals, docs, translations): a smaller, faster base. */
export const baseDpkgOptions: readonly string[] = [
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
  'path-exclude=/usr/share/locale/*',
];

/** The repository's image folder (Containerfiles, package list, entry scripts). */
export const imagesFolder = (): string =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/lab/container/images');

/** The compiled project (dist/) whose lab the sim image carries: the folder above this module's `lab/`. */
export const compiledRoot = (): string => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Folders of the compiled project the simulators need (lab/ uses only core/, net/ and tftp/). */
export const simFolders = ['lab', 'core', 'net', 'tftp'] as const;
/** Packages the simulators import, with their own dependencies (optional ones left out). */
export const simPackages = ['ssh2', 'net-snmp'] as const;

export interface ImageInputs {
  /** Files copied into the image: path in the build context -> absolute source path. */
  readonly files: ReadonlyMap<string, string>;
  /** Other inputs that change the image (the base's tag, the suite). */
  readonly values: readonly string[];
}

export interface ImageRef {
  readonly kind: ImageKind;
  /** `netops-lab/KIND`. */
  readonly repository: string;
  /** The first 16 hex digits of the inputs' hash. */
  readonly tag: string;
  readonly inputs: ImageInputs;
}

export const imageName = (ref: ImageRef): string => `${ref.repository}:${ref.tag}`;

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** A package and the packages it depends on, found in `modules` (node_modules). */
async function packageClosure(modules: string, names: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [...names];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const manifest = JSON.parse(await readFile(path.join(modules, name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    queue.push(...Object.keys(manifest.dependencies ?? {}));
  }
  return [...seen].sort();
}

async function addTree(files: Map<string, string>, from: string, to: string): Promise<void> {
  for await (const file of filesUnder(from)) files.set(path.join(to, path.relative(from, file)), file);
}

/** What goes into each image's build context, besides the images folder's own files. */
async function simFiles(root: string, node: string): Promise<Map<string, string>> {
  // The compiled lab is ESM: app/package.json says so to node inside the image.
  const files = new Map<string, string>([
    ['node', node],
    ['app/package.json', path.join(imagesFolder(), 'sim', 'package.json')],
  ]);
  for (const folder of simFolders) await addTree(files, path.join(root, folder), path.join('app', folder));
  const modules = path.resolve(root, '..', 'node_modules');
  for (const name of await packageClosure(modules, simPackages))
    await addTree(files, path.join(modules, name), path.join('app', 'node_modules', name));
  return files;
}

async function imageFolderFiles(kind: ImageKind): Promise<Map<string, string>> {
  const folder = imagesFolder();
  const files = new Map<string, string>([['lab-start.sh', path.join(folder, 'lab-start.sh')]]);
  await addTree(files, path.join(folder, kind), kind);
  return files;
}

function hashFile(file: string, into: ReturnType<typeof createHash>): Promise<void> {
  return new Promise((resolve, reject) => {
    createReadStream(file)
      .on('data', (chunk) => into.update(chunk))
      .on('end', () => resolve())
      .on('error', reject);
  });
}

/** Hash of the inputs: every file's context path and bytes, in order, then the values. */
export async function inputsHash(inputs: ImageInputs): Promise<string> {
  const hash = createHash('sha256');
  for (const [at, file] of [...inputs.files].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`${at}\0`);
    await hashFile(file, hash);
    hash.update('\0');
  }
  for (const value of inputs.values) hash.update(`${value}\0`);
  return hash.digest('hex').slice(0, 16);
}

export interface ImageSources {
  /** @default compiledRoot() (dist/) */
  readonly root?: string;
  /** @default process.execPath */
  readonly node?: string;
}

/** The three images, each with the tag its current inputs give. */
export async function resolveImages(sources: ImageSources = {}): Promise<Record<ImageKind, ImageRef>> {
  const ref = async (kind: ImageKind, files: Map<string, string>, values: string[]): Promise<ImageRef> => {
    const inputs = { files, values };
    return { kind, repository: `netops-lab/${kind}`, tag: await inputsHash(inputs), inputs };
  };
  const base = await ref('base', await imageFolderFiles('base'), [
    debianSuite,
    process.arch,
    ...baseDpkgOptions,
  ]);
  const layer = async (kind: ImageKind, extra: Map<string, string> = new Map()) =>
    ref(kind, new Map([...(await imageFolderFiles(kind)), ...extra]), [imageName(base)]);
  const sim = await layer(
    'sim',
    await simFiles(sources.root ?? compiledRoot(), sources.node ?? process.execPath),
  );
  return { base, sim, frr: await layer('frr') };
}
