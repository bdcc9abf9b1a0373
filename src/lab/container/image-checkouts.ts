/**
 * Which lab images each checkout on this machine uses: its build records its current images under
 * its compiled folder's path, and no build of another checkout removes them. Two checkouts (two
 * users, a release beside a work tree) have different dist/ and so different sim tags: each build
 * used to remove the other's images as superseded, and the two rebuilt each other's by turns. A
 * checkout's record is replaced by its next build; a checkout whose compiled folder is gone
 * releases its images (its record is deleted by the next build of any checkout).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { cacheFolder } from './images.js';

const recordsFolder = () => path.join(cacheFolder(), 'checkouts');

interface CheckoutRecord {
  /** The checkout's compiled folder (its dist/), absolute. */
  readonly root: string;
  /** `netops-lab/KIND:TAG` */
  readonly images: readonly string[];
  readonly builtAt: string;
}

const recordFile = (root: string) =>
  path.join(recordsFolder(), `${createHash('sha256').update(root).digest('hex').slice(0, 16)}.json`);

/** Records `images` as what the checkout compiled into `root` uses now (replacing its last record). */
export async function recordCheckoutImages(root: string, images: readonly string[]): Promise<void> {
  await mkdir(recordsFolder(), { recursive: true });
  const record: CheckoutRecord = { root, images, builtAt: new Date().toISOString() };
  await writeFileAtomic(recordFile(root), `${JSON.stringify(record)}\n`);
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Images recorded by checkouts that still exist; the records of checkouts that are gone are removed. */
export async function checkoutImages(): Promise<Set<string>> {
  const used = new Set<string>();
  const files = await readdir(recordsFolder()).catch(() => [] as string[]);
  for (const name of files.filter((f) => f.endsWith('.json'))) {
    const file = path.join(recordsFolder(), name);
    const record = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Partial<CheckoutRecord>;
    if (record.root && (await exists(record.root))) for (const image of record.images ?? []) used.add(image);
    else await rm(file, { force: true });
  }
  return used;
}
