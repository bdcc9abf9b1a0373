/**
 * The job's store as a host's tasks see it away from the store (a queue worker, a worker thread):
 * reads answer with the copies the store's owner sent, writes are kept as artefacts for it to write
 * into the real store. It runs no git and keeps nothing on disk; the changed/diff it reports follow
 * the real store's rules.
 */
import { createRequire } from 'node:module';
import type * as Diff from 'diff';
import { firstCopyWritten } from '../store/unified-diff.js';
import type { StoreNote, WriteResult } from '../store/git-store.js';
import type { Closable } from '../tasks/task.js';

let jsdiff: typeof Diff | undefined;

/** A file the host's steps wrote (`write`) or kept aside as rejected (`aside`), relative to the store. */
export type Artefact =
  | {
      readonly kind: 'write';
      readonly path: string;
      readonly content: string;
      readonly note?: string | undefined;
    }
  | { readonly kind: 'aside'; readonly path: string; readonly content: string; readonly reason: string };

export class CaptureStore implements Closable {
  readonly dir: string;
  readonly #previous: Readonly<Record<string, string>>;
  readonly #artefacts = new Map<string, Artefact>();

  constructor(dir: string, previous: Readonly<Record<string, string>>) {
    this.dir = dir;
    this.#previous = previous;
  }

  /** What the host's steps wrote and kept aside, one artefact per path (the last write wins). */
  artefacts(): Artefact[] {
    return [...this.#artefacts.values()];
  }

  read(relPath: string): Promise<string | undefined> {
    if (relPath in this.#previous) return Promise.resolve(this.#previous[relPath]);
    const written = this.#artefacts.get(relPath);
    if (written?.kind === 'write') return Promise.resolve(written.content);
    return Promise.resolve(undefined);
  }

  size(relPath: string): Promise<number | undefined> {
    const before = this.#previous[relPath];
    return Promise.resolve(before === undefined ? undefined : Buffer.byteLength(before));
  }

  write(relPath: string, content: string, note?: StoreNote): Promise<WriteResult> {
    const before = this.#previous[relPath];
    if (before === content) {
      this.#artefacts.delete(relPath);
      return Promise.resolve({ changed: false, diff: '' });
    }
    const line = typeof note === 'function' ? note(before) : note;
    this.#artefacts.set(relPath, { kind: 'write', path: relPath, content, note: line });
    return Promise.resolve(
      before === undefined
        ? firstCopyWritten(relPath, content)
        : { changed: true, diff: changedFileDiff(relPath, before, content) },
    );
  }

  /** No repository here: nothing a record of an earlier backup could vouch for (save.ts takes the full path). */
  committedBlob(_relPath: string): string | undefined {
    return undefined;
  }

  keepAside(relPath: string, content: string, reason: string): Promise<string> {
    const aside = `rejected/${relPath}`;
    this.#artefacts.set(aside, { kind: 'aside', path: relPath, content, reason });
    return Promise.resolve(aside);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The store's diff format (two header lines naming the file, then unified hunks with 3 lines of context). */
function changedFileDiff(relPath: string, before: string, after: string): string {
  // Loaded on the first changed config only, like the startup-config comparison does.
  jsdiff ??= createRequire(import.meta.url)('diff') as typeof Diff;
  const patch = jsdiff.structuredPatch(relPath, relPath, before, after, '', '', { context: 3 });
  const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
  const hunks = patch.hunks.map(
    (h) =>
      `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n${h.lines.map((l) => `${l}\n`).join('')}`,
  );
  return `--- a/${relPath}\n+++ b/${relPath}\n${hunks.join('')}`;
}
