/**
 * The state netops keeps about one store outside of it: a folder under the state dir
 * (`core/state-dir.ts`) named by the store's real path, so nothing in it can reach the git history
 * and two stores never share it. It holds the placeholder key and the explanations of the last
 * backups; `store.json` in it names the store, for a person looking through the state dir.
 */
import { createHash } from 'node:crypto';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir } from '../core/state-dir.js';

/** Folders already made in this process, by state dir and store path: every host of a run asks. */
const made = new Map<string, Promise<string>>();

/** The folder, created 0700 on first use. A moved store gets a new folder (see docs/store.md). */
export function storeStateDir(store: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const key = `${stateDir(env)}\0${path.resolve(store)}`;
  let dir = made.get(key);
  if (!dir) {
    dir = makeStoreStateDir(store, env);
    made.set(key, dir);
    dir.catch(() => made.delete(key));
  }
  return dir;
}

/** Where the folder is, without making it: for readers (`netops store explain`), which leave no trace. */
export async function storeStatePath(
  store: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ readonly dir: string; readonly real: string }> {
  const real = await realpath(store).catch(() => path.resolve(store));
  const id = createHash('sha256').update(real).digest('hex').slice(0, 16);
  return { dir: path.join(stateDir(env), 'stores', id), real };
}

async function makeStoreStateDir(store: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { dir, real } = await storeStatePath(store, env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written once; a store that was moved back finds its folder again by the same path.
  await writeFile(path.join(dir, 'store.json'), `${JSON.stringify({ store: real })}\n`, {
    flag: 'wx',
    mode: 0o600,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return dir;
}
