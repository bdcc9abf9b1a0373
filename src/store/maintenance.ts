/**
 * When netops packs the store. A nightly run of a few hundred devices adds a few dozen loose
 * objects (the changed configs, two trees, a commit) and a tag; git's own thresholds (6,700 loose
 * objects) would leave a year of them unpacked, one file each, and git's automatic gc after a
 * commit runs detached, still working in the store when the run lets go of it. So git's automatic
 * gc is off (`git.ts`), and after each run's commit the store runs `git gc --auto` in the
 * foreground with these settings: it packs once about this many loose objects gathered, and folds
 * the packs together once there are this many. Figures: docs/store.md, "Maintenance".
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Loose objects before `gc --auto` packs them (git's estimate: those in one of 256 folders x 256). */
export const GC_LOOSE_OBJECTS = 256;
/** Packs before `gc --auto` folds them into one. */
export const GC_PACK_LIMIT = 8;

export const MAINTENANCE_SETTINGS: readonly string[] = [
  `gc.auto=${GC_LOOSE_OBJECTS}`,
  `gc.autoPackLimit=${GC_PACK_LIMIT}`,
  // In the foreground: a detached gc would still work in the store after its lock is released.
  'gc.autoDetach=false',
];

/**
 * Whether `git gc --auto` may have work, judged by git's own test (git 2.39, builtin/gc.c
 * need_to_gc) without starting it: more loose objects in `objects/17` than GC_LOOSE_OBJECTS / 256
 * (git's sample of the 256 folders), or more than GC_PACK_LIMIT packs without a `.keep`. A nightly
 * run adds a few objects, so most runs start no gc process. Whatever cannot be read says yes:
 * git then decides itself.
 */
export async function gcMayHaveWork(objectsDir: string): Promise<boolean> {
  try {
    const sample = await readdir(path.join(objectsDir, '17')).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const loose = sample.filter((name) => /^[0-9a-f]{38}$|^[0-9a-f]{62}$/.test(name)).length;
    if (loose > Math.ceil(GC_LOOSE_OBJECTS / 256)) return true;
    const packFolder = await readdir(path.join(objectsDir, 'pack'));
    const kept = new Set(
      packFolder.filter((name) => name.endsWith('.keep')).map((name) => name.slice(0, -5)),
    );
    const packs = packFolder.filter((name) => name.endsWith('.pack') && !kept.has(name.slice(0, -5)));
    return packs.length > GC_PACK_LIMIT;
  } catch {
    return true;
  }
}
