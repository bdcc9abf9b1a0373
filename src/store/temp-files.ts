/**
 * Temporary files of the store's atomic writes, and the repair of those a killed run left: they
 * live under `GITDIR/netops-tmp/` (outside the tracked tree); older netops versions wrote
 * `.NAME.<12 hex>.tmp` beside the target instead.
 */
import { access, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REJECTED_FOLDER, STORE_FOLDERS } from './paths.js';

const TEMP_FOLDER = 'netops-tmp';
/** Temporary files an older netops wrote beside the target: `.NAME.<12 hex>.tmp`. */
export const OLD_TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;
/**
 * In the git directory once the store's folders were cleared of the older temp files: only an older
 * netops wrote them, so each store is searched once, not at every open (a readdir of every config).
 */
export const OLD_TEMP_SWEPT = 'netops-old-temp-files-removed';

export function tempFolder(gitDir: string): string {
  return path.join(gitDir, TEMP_FOLDER);
}

/**
 * Removes the temporary files of writes a killed run interrupted: everything in the temp folder, and
 * the old-style files beside the configs (committed ones leave history with this run's commit) the
 * first time this netops opens the store. Safe only while holding the store lock: no one else
 * writes there.
 */
export async function removeTemporaryFiles(storeDir: string, gitDir: string): Promise<void> {
  await rm(tempFolder(gitDir), { recursive: true, force: true });
  const swept = path.join(gitDir, OLD_TEMP_SWEPT);
  if (await exists(swept)) return;
  for (const folder of [...STORE_FOLDERS, REJECTED_FOLDER]) {
    await removeOldTemporaryFiles(path.join(storeDir, folder));
  }
  await writeFile(swept, 'netops removed the temporary files older versions left beside the configs\n');
}

async function removeOldTemporaryFiles(folder: string): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await removeOldTemporaryFiles(full);
    else if (OLD_TEMP_NAME.test(entry.name)) await rm(full, { force: true });
  }
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
