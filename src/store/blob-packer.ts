/**
 * New copies packed while a run writes them: one `git fast-import` reads the blobs of the changed
 * configs as the hosts hand them in, so the run's commit finds them stored as one pack and reads
 * them again only for `git update-index` (a first run of 10,000 configs: the pack was the largest
 * part of the commit). git works on its own core while the sessions go on.
 *
 * A host never waits for git: a blob offered while git is behind (MAX_WAITING blobs wait already)
 * is not taken, and the commit reads that copy back and hands it in with `add`, which waits.
 *
 * Only an optimisation: if fast-import fails, the commit's `git update-index --add` stores what is
 * missing itself (and reports a real failure, a full disk, with git's own message).
 */

/** Blobs handed in but not yet taken by git: memory stays bounded. */
const MAX_WAITING = 64;

/** Runs `git fast-import --quiet` with `input` as its stdin; settles when git has ended. */
export type RunFastImport = (input: AsyncIterable<Buffer>) => Promise<unknown>;

/** `blob`, `data N`, the bytes and a line feed, built in one buffer (one copy of a string). */
function fastImportBlob(content: string | Buffer): Buffer {
  const length = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
  const header = `blob\ndata ${length}\n`;
  const blob = Buffer.allocUnsafe(header.length + length + 1);
  blob.write(header, 0, 'latin1');
  if (typeof content === 'string') blob.write(content, header.length, 'utf8');
  else content.copy(blob, header.length);
  blob[blob.length - 1] = 0x0a;
  return blob;
}

export class BlobPacker {
  readonly #waiting: Buffer[] = [];
  /** git waiting for the next blob. */
  #wakeGit: (() => void) | undefined;
  /** `add` waiting for room. */
  readonly #wakeAdders: (() => void)[] = [];
  #ended = false;
  #stopped = false;
  readonly #done: Promise<unknown>;

  constructor(run: RunFastImport) {
    // Settles once git ended: with undefined, or with the error that ended it.
    this.#done = run(this.#stream()).then(
      () => undefined,
      (error: unknown) => error,
    );
    void this.#done.then(() => {
      this.#stopped = true;
      this.#waiting.length = 0;
      for (const wake of this.#wakeAdders.splice(0)) wake();
    });
  }

  /** Hands git one blob (a string as UTF-8) if it has room now; false when it was not taken. */
  offer(content: string | Buffer): boolean {
    if (this.#stopped || this.#ended || this.#waiting.length >= MAX_WAITING) return false;
    this.#push(content);
    return true;
  }

  /** Hands git one blob once it has room (one caller at a time). */
  async add(content: string | Buffer): Promise<void> {
    while (this.#waiting.length >= MAX_WAITING && !this.#stopped) {
      await new Promise<void>((resolve) => this.#wakeAdders.push(resolve));
    }
    if (!this.#stopped && !this.#ended) this.#push(content);
  }

  /** Ends git's input and waits for the pack to be written; resolves with git's failure, if any. */
  finish(): Promise<unknown> {
    this.#ended = true;
    this.#wakeGit?.();
    return this.#done;
  }

  #push(content: string | Buffer): void {
    this.#waiting.push(fastImportBlob(content));
    this.#wakeGit?.();
  }

  async *#stream(): AsyncGenerator<Buffer> {
    for (;;) {
      const next = this.#waiting.shift();
      if (next !== undefined) {
        this.#wakeAdders.shift()?.();
        yield next;
      } else if (this.#ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.#wakeGit = resolve));
        this.#wakeGit = undefined;
      }
    }
  }
}
