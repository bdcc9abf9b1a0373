/**
 * New copies packed while a run writes them: one `git fast-import` reads the blobs of one family's
 * changed configs (family-packers.ts) as the hosts hand them in, so the run's commit finds them
 * packed and reads them again only for `git update-index` (a first run of 10,000 configs: the pack
 * was the largest part of the commit). git works on its own core while the sessions go on.
 *
 * Until it is started, a packer only holds the blobs offered (up to MAX_HELD_BYTES): a run that
 * changes a few configs starts no git for them, and one that goes on to change many hands git the
 * copies written before as they are, instead of the commit reading each back from its file.
 *
 * A host never waits for git: a blob offered while git is behind (MAX_WAITING blobs wait already)
 * is not taken, and the commit reads that copy back and hands it in with `add`, which waits.
 *
 * Only an optimisation: if fast-import fails, the commit's `git update-index --add` stores what is
 * missing itself (and reports a real failure, a full disk, with git's own message).
 */
import type { Writable } from 'node:stream';
import type { StdinFeed } from './git.js';

/** Blobs handed in but not yet taken by git: memory stays bounded. */
const MAX_WAITING = 64;

/** Bytes of the blobs held before git starts: some 300 configs of 50 KB. */
const MAX_HELD_BYTES = 16 * 1024 * 1024;

/** The bytes held before git starts, counted against MAX_HELD_BYTES: shared by packers that hold together. */
export interface HeldBytes {
  bytes: number;
}

/**
 * Runs `git fast-import --quiet`, its stdin written by `feed` (store/git.ts's StdinFeed); settles
 * when git has ended.
 */
export type RunFastImport = (feed: StdinFeed) => Promise<unknown>;

/**
 * `blob` and `data N` for fast-import, then the bytes: a Buffer (the store's copy as written) goes
 * to git as it is, not copied behind its header (50 KB per config); a string is encoded into the
 * header's buffer. The line feed after the data is optional in fast-import's grammar.
 */
function fastImportBlob(content: string | Buffer): Buffer[] {
  const length = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
  const header = `blob\ndata ${length}\n`;
  if (typeof content !== 'string') return [Buffer.from(header, 'latin1'), content];
  const blob = Buffer.allocUnsafe(header.length + length);
  blob.write(header, 0, 'latin1');
  blob.write(content, header.length, 'utf8');
  return [blob];
}

export class BlobPacker {
  readonly #run: RunFastImport;
  /** Blobs for git, as handed in: each is framed for fast-import only when its pipe takes it. */
  readonly #waiting: (string | Buffer)[] = [];
  readonly #held: HeldBytes;
  /** git's stdin, once git runs. */
  #stdin: Writable | undefined;
  /** `add` waiting for room. */
  readonly #wakeAdders: (() => void)[] = [];
  #ended = false;
  #stopped = false;
  /** Settles once git ended (with undefined, or with the error that ended it); none before `start`. */
  #done: Promise<unknown> | undefined;

  constructor(run: RunFastImport, held: HeldBytes = { bytes: 0 }) {
    this.#run = run;
    this.#held = held;
  }

  get started(): boolean {
    return this.#done !== undefined;
  }

  /** Starts git, which takes the blobs held so far first. */
  start(): void {
    if (this.#done !== undefined || this.#ended) return;
    this.#done = this.#run((stdin) => {
      this.#stdin = stdin;
      stdin.on('drain', () => this.#write());
      this.#write();
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    void this.#done.then(() => {
      this.#stopped = true;
      this.#waiting.length = 0;
      for (const wake of this.#wakeAdders.splice(0)) wake();
    });
  }

  /** Hands git one blob (a string as UTF-8) if it has room now, or holds it until `start`; false when not taken. */
  offer(content: string | Buffer): boolean {
    if (this.#stopped || this.#ended) return false;
    if (this.#done === undefined) {
      const bytes = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
      if (this.#held.bytes + bytes > MAX_HELD_BYTES) return false;
      this.#held.bytes += bytes;
    } else if (this.#waiting.length >= MAX_WAITING) {
      return false;
    }
    this.#push(content);
    return true;
  }

  /** Hands git one blob once it has room (one caller at a time; starts git). */
  async add(content: string | Buffer): Promise<void> {
    this.start();
    while (this.#waiting.length >= MAX_WAITING && !this.#stopped) {
      await new Promise<void>((resolve) => this.#wakeAdders.push(resolve));
    }
    if (!this.#stopped && !this.#ended) this.#push(content);
  }

  /**
   * Ends git's input and waits for the pack to be written; resolves with git's failure, if any.
   * A packer never started drops what it held: no git ran.
   */
  finish(): Promise<unknown> {
    this.#ended = true;
    if (this.#done === undefined) this.#waiting.length = 0;
    this.#write();
    return this.#done ?? Promise.resolve(undefined);
  }

  #push(content: string | Buffer): void {
    this.#waiting.push(content);
    this.#write();
  }

  /**
   * Writes the waiting blobs into git's pipe while it has room ('drain' calls again), then ends
   * git's input once the packer is finished and none waits. No async generator, no Readable: those
   * made TurboFan compile the feed three times a first run and deoptimized Node's stream code that
   * every SSH session runs (`--trace-deopt`: wrong maps in Readable.read and push).
   */
  #write(): void {
    const stdin = this.#stdin;
    if (stdin === undefined || this.#stopped) return;
    while (this.#waiting.length > 0 && !stdin.writableNeedDrain) {
      for (const chunk of fastImportBlob(this.#waiting.shift() as string | Buffer)) stdin.write(chunk);
      this.#wakeAdders.shift()?.();
    }
    if (this.#ended && this.#waiting.length === 0 && !stdin.writableEnded) stdin.end();
  }
}
