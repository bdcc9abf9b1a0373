/**
 * When netops packs the store. A nightly run of a few hundred devices adds a few dozen loose
 * objects (the changed configs, two trees, a commit) and a tag; git's own thresholds (6,700 loose
 * objects) would leave a year of them unpacked, one file each, and git's automatic gc after a
 * commit runs detached, still working in the store when the run lets go of it. So git's automatic
 * gc is off (`git.ts`), and after each run's commit the store runs `git gc --auto` in the
 * foreground with these settings: it packs once about this many loose objects gathered, and folds
 * the packs together once there are this many. Figures: docs/store.md, "Maintenance".
 */

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
