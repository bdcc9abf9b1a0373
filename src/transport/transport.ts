/**
 * A transport moves bytes to and from a device and knows nothing about prompts (scrapli's split):
 * SSH, Telnet and a console line through a terminal server all fit behind this interface.
 */
import type { NetopsError } from '../core/errors.js';

export type TransportKind = 'ssh' | 'telnet' | 'console';

export interface Transport {
  readonly kind: TransportKind;
  /** `address:port` actually connected to (IPv6 bracketed), for messages. */
  readonly peer: string;
  /** What ends a line typed at the device: `\n` on an SSH pty, CR LF on Telnet (RFC 854). */
  readonly newline: string;
  write(data: string | Uint8Array): void;
  /** Registers a listener for received bytes (already free of protocol framing); returns its remover. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Called once when the stream ends, with why (CLOSED_BY_PEER when the device hung up). */
  onClose(listener: (reason: NetopsError) => void): () => void;
  /** Why the stream ended; undefined while it is open. */
  readonly closed: NetopsError | undefined;
  isAlive(): boolean;
  /** A serial break (Telnet IAC BRK); a no-op where the transport has none. */
  sendBreak(): void;
  close(): Promise<void>;
}

/** Where to connect; `address` is a literal or a name, optionally `[v6]:port` or `v4:port`. */
export interface TransportTarget {
  readonly address: string;
  readonly port?: number | undefined;
  /** Force one address family when a name resolves to both. */
  readonly family?: 4 | 6 | undefined;
  /** Inventory host name, for errors. */
  readonly host?: string | undefined;
}

export interface TransportTimeouts {
  /** TCP connect and, for SSH, the handshake and authentication. @default 10000 */
  readonly connectMs?: number;
}
