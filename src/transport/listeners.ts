/** The listener bookkeeping every transport shares: data, a single close with its reason. */
import { NetopsError } from '../core/errors.js';

export class StreamListeners {
  readonly #data = new Set<(chunk: Buffer) => void>();
  readonly #close = new Set<(reason: NetopsError) => void>();
  #closed: NetopsError | undefined;

  get closed(): NetopsError | undefined {
    return this.#closed;
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    this.#data.add(listener);
    return () => this.#data.delete(listener);
  }

  onClose(listener: (reason: NetopsError) => void): () => void {
    if (this.#closed) {
      listener(this.#closed);
      return () => undefined;
    }
    this.#close.add(listener);
    return () => this.#close.delete(listener);
  }

  emitData(chunk: Buffer): void {
    for (const listener of this.#data) listener(chunk);
  }

  /** Only the first reason counts: a local close followed by the socket's end is one event. */
  emitClose(reason: NetopsError): void {
    if (this.#closed) return;
    this.#closed = reason;
    for (const listener of this.#close) listener(reason);
    this.#close.clear();
  }
}

/**
 * The reason a session netops ended itself gives to whatever still listened: built without a
 * stack trace (where netops called close() tells no one anything), which every session's end
 * paid for: some 10 us of CPU, more with a deep or async stack.
 */
export function closedByNetops(session: string): NetopsError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new NetopsError('CLOSED_BY_PEER', `${session} was closed by netops`, {
      hint: 'The session was closed on purpose.',
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}
