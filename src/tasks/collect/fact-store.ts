/**
 * Where the collect task keeps `facts/HOST.json`. The job's git store is the destination; until it
 * is wired as a job resource this writes the files atomically into the store folder named by the
 * job's `store.dir`, which a later `git` commit picks up. Both offer the same two calls.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError } from '../../core/errors.js';
import type { Closable, TaskContext } from '../task.js';

export interface FactStore extends Closable {
  /** The last stored text of `relPath`, undefined when there is none. */
  read(relPath: string): Promise<string | undefined>;
  /** Stores `content`; `note` is the change-log line for this file. */
  write(relPath: string, content: string, note?: string): Promise<{ readonly changed: boolean }>;
}

export async function factStore(ctx: TaskContext): Promise<FactStore> {
  const settings = ctx.job.settings.store as { dir?: unknown } | undefined;
  if (typeof settings?.dir !== 'string') {
    throw new NetopsError('CONFIG_INVALID', `job ${ctx.job.name} has no store.dir for the collected facts`, {
      hint: 'Add `store: { dir: PATH }` to the job: the folder (a git repository) that keeps configs/ and facts/.',
    });
  }
  const dir = path.resolve(ctx.job.dir, settings.dir);
  return ctx.resource(`facts:${dir}`, async () => folderStore(dir));
}

function folderStore(dir: string): FactStore {
  return {
    async read(relPath) {
      try {
        return await readFile(path.join(dir, relPath), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(relPath, content) {
      const file = path.join(dir, relPath);
      const previous = await this.read(relPath);
      if (previous === content) return { changed: false };
      await writeFileAtomic(file, content);
      return { changed: true };
    },
    async close() {},
  };
}
