/**
 * What the server will accept in job mode: uploads it was told to expect (file, source addresses,
 * deadline) and downloads it was told to publish (file, destination addresses). Every other request
 * is refused by the server; a refused upload of an expected file is explained and either fails the
 * expectation at once (the source is the expected host's) or is kept for the time-out message.
 */
import { NetopsError } from '../core/errors.js';
import { unmapAddress } from '../net/embedded.js';
import { diagnoseSource, type KnownHost, type SourceDiagnosis, type UploadExpectation } from './diagnose.js';

export interface ExpectUploadOptions {
  readonly filename: string;
  /** Source addresses the upload may come from (the host's inventory addresses). */
  readonly from: readonly string[];
  readonly timeoutMs: number;
  /** The inventory host, named in messages. */
  readonly host?: string;
  readonly signal?: AbortSignal;
  /** Told the size the device announces in its WRQ (RFC 2349 `tsize`), when it sends one. */
  readonly onAnnouncedSize?: (bytes: number) => void;
}

export interface PublishDownloadOptions {
  readonly filename: string;
  readonly data: Buffer;
  readonly to: readonly string[];
}

interface PendingUpload extends UploadExpectation {
  readonly sources: ReadonlySet<string>;
  readonly timeoutMs: number;
  readonly refused: Array<{ source: string; diagnosis: SourceDiagnosis }>;
  inProgress: boolean;
  readonly onAnnouncedSize?: ((bytes: number) => void) | undefined;
  settle(outcome: { data: Buffer } | { error: NetopsError }): void;
}

export type UploadRoute =
  | { readonly kind: 'unclaimed' }
  | { readonly kind: 'accept'; readonly expectation: PendingUpload }
  | { readonly kind: 'refuse'; readonly reason: string; readonly host?: string };

export type DownloadRoute =
  | { readonly kind: 'unclaimed' }
  | { readonly kind: 'serve'; readonly data: Buffer }
  | { readonly kind: 'refuse'; readonly reason: string };

const addressSet = (list: readonly string[]) => new Set(list.map(unmapAddress));

export class Expectations {
  readonly #uploads = new Map<string, PendingUpload[]>();
  readonly #downloads = new Map<string, Array<{ data: Buffer; to: ReadonlySet<string> }>>();
  readonly #knownHosts: () => readonly KnownHost[];

  constructor(knownHosts: () => readonly KnownHost[]) {
    this.#knownHosts = knownHosts;
  }

  expectUpload(options: ExpectUploadOptions): Promise<Buffer> {
    const who = options.host ?? options.from.join(', ');
    return new Promise<Buffer>((resolve, reject) => {
      const list = this.#uploads.get(options.filename) ?? [];
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        const left = (this.#uploads.get(options.filename) ?? []).filter((e) => e !== pending);
        if (left.length > 0) this.#uploads.set(options.filename, left);
        else this.#uploads.delete(options.filename);
      };
      const pending: PendingUpload = {
        filename: options.filename,
        from: options.from,
        host: options.host,
        sources: addressSet(options.from),
        timeoutMs: options.timeoutMs,
        refused: [],
        inProgress: false,
        onAnnouncedSize: options.onAnnouncedSize,
        settle: (outcome) => {
          cleanup();
          if ('data' in outcome) resolve(outcome.data);
          else reject(outcome.error);
        },
      };
      const timer = setTimeout(() => {
        // A transfer under way gets its own time-outs; the deadline is for the upload to start.
        if (!pending.inProgress) pending.settle({ error: this.#noUpload(pending, who) });
      }, options.timeoutMs);
      const onAbort = () =>
        pending.settle({
          error: new NetopsError(
            'ABORTED',
            `waiting for the upload of ${options.filename} from ${who} was cancelled`,
            {
              hint: 'The step was stopped (time-out or Ctrl-C); run it again.',
              ...(options.host ? { host: options.host } : {}),
              // What the server saw meanwhile: the caller may know why it stopped (the device gave up).
              details: {
                refused: pending.refused.map((r) => ({
                  source: r.source,
                  summary: r.diagnosis.summary,
                  hint: r.diagnosis.hint,
                })),
              },
            },
          ),
        });
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      list.push(pending);
      this.#uploads.set(options.filename, list);
    });
  }

  #noUpload(pending: PendingUpload, who: string): NetopsError {
    const seconds = Math.round(pending.timeoutMs / 100) / 10;
    const refused = pending.refused.map((r) => `${r.source} (${r.diagnosis.summary})`);
    const message =
      `no upload of ${pending.filename} from ${who} (expected from ${pending.from.join(', ')}) within ${seconds} s` +
      (refused.length > 0 ? `; refused meanwhile from ${refused.join('; ')}` : '');
    return new NetopsError('TFTP_NO_UPLOAD', message, {
      hint:
        pending.refused[0]?.diagnosis.hint ??
        `Check that ${who} can reach the TFTP server address it was given (route, ACL, VRF) and that its copy command ran.`,
      ...(pending.host ? { host: pending.host } : {}),
      transient: refused.length === 0,
      details: {
        filename: pending.filename,
        from: pending.from,
        refused: pending.refused.map((r) => r.source),
      },
    });
  }

  publishDownload(options: PublishDownloadOptions): () => void {
    const entry = { data: options.data, to: addressSet(options.to) };
    this.#downloads.set(options.filename, [...(this.#downloads.get(options.filename) ?? []), entry]);
    return () => {
      const left = (this.#downloads.get(options.filename) ?? []).filter((e) => e !== entry);
      if (left.length > 0) this.#downloads.set(options.filename, left);
      else this.#downloads.delete(options.filename);
    };
  }

  /** Decides a WRQ from `source` (unmapped, as unmapAddress gives it): which expectation it fulfils, or why it is refused. */
  routeUpload(filename: string, source: string, port: number): UploadRoute {
    const pending = this.#uploads.get(filename);
    if (!pending) return { kind: 'unclaimed' };
    const match = pending.find((e) => e.sources.has(source));
    if (match && !match.inProgress) return { kind: 'accept', expectation: match };
    if (match)
      return { kind: 'refuse', reason: `an upload of ${filename} from ${source} is already in progress` };
    let reason = `${source} is not expected to upload ${filename}`;
    let host: string | undefined;
    for (const expectation of pending) {
      const diagnosis = diagnoseSource(source, expectation, this.#knownHosts());
      reason = `${reason}: ${diagnosis.summary}`;
      host = diagnosis.host;
      // The host's upload is failing now, unless one from an expected address is under way: that
      // one decides (its device is told by its final ACK that the file arrived).
      if (!diagnosis.fromExpectedHost || expectation.inProgress) {
        expectation.refused.push({ source, diagnosis });
        continue;
      }
      const name = expectation.host ?? diagnosis.host ?? source;
      expectation.settle({
        error: new NetopsError(
          'TFTP_UNEXPECTED_SOURCE',
          `the upload of ${filename} for ${name} came from ${source} port ${port}, not from ${expectation.from.join(', ')}, and was refused: ${diagnosis.summary}`,
          {
            hint: diagnosis.hint,
            host: name,
            details: { filename, source, port, expected: expectation.from },
          },
        ),
      });
      break;
    }
    return { kind: 'refuse', reason, ...(host ? { host } : {}) };
  }

  /** Decides an RRQ from `source` (unmapped): the published bytes for it, or why it is refused. */
  routeDownload(filename: string, source: string): DownloadRoute {
    const published = this.#downloads.get(filename);
    if (!published) return { kind: 'unclaimed' };
    const entry = published.find((e) => e.to.has(source));
    return entry
      ? { kind: 'serve', data: entry.data }
      : { kind: 'refuse', reason: `${filename} is not published for ${source}` };
  }

  /** Fails every waiting expectation (the server is closing). */
  cancelAll(): void {
    for (const list of [...this.#uploads.values()]) {
      for (const pending of list) {
        pending.settle({
          error: new NetopsError('ABORTED', `the TFTP server closed while waiting for ${pending.filename}`, {
            hint: 'The run ended before the upload arrived; run the step again.',
            ...(pending.host ? { host: pending.host } : {}),
          }),
        });
      }
    }
    this.#downloads.clear();
  }
}
