/** What a CLI session is opened and driven with (session.ts). */
import type { BootQuestion } from '../channel/boot-watch.js';
import type { ChannelOptions } from '../channel/channel.js';
import type { Host } from '../config/model.js';
import type { TransportRequest } from '../transport/open.js';
import type { Transport, TransportKind } from '../transport/transport.js';
import type { PlatformSpec } from './spec.js';

export interface SessionTimeouts {
  /** TCP connect and SSH handshake. @default 10000 */
  readonly connectMs?: number;
  /** From connected to the first prompt. @default 30000 */
  readonly loginMs?: number;
  /** One command or dialog, prompt to prompt. @default 60000 */
  readonly commandMs?: number;
}

/** The host, its secrets (a TaskContext's `secret`), the signal and SSH host-key trust, as the transport takes them. */
export interface CliSessionOptions extends Pick<
  TransportRequest,
  'host' | 'secret' | 'signal' | 'trustNewHostKey' | 'knownHostsFile'
> {
  readonly timeouts?: SessionTimeouts | undefined;
  /** @default the host's `transport` */
  readonly via?: TransportKind | undefined;
  /** @default platforms[host.platform] */
  readonly platform?: PlatformSpec | undefined;
  /** Output and paging limits. */
  readonly limits?: Pick<ChannelOptions, 'maxPages' | 'maxOutputChars'> | undefined;
  /** Sees every byte the transport receives, from before the login on (a console log). */
  observe?(transport: Transport): void;
}

export interface SendOptions {
  /** @default the session's commandMs */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Return output with device error markers instead of failing. @default false */
  readonly allowErrors?: boolean;
}

export interface ReloadOptions extends SendOptions {
  /**
   * Over SSH or Telnet: `answered` returns once the last reload question is answered; `dropped`
   * waits until the device drops the session, and a prompt coming back fails (the reload was
   * refused). On a console the session follows the boot either way. @default 'answered'
   */
  readonly until?: 'answered' | 'dropped';
  /** Console: from the reload to the default prompt. @default 600000 */
  readonly bootTimeoutMs?: number;
}

export interface StartOptions {
  /** From connected (or booted) to the default prompt. @default the session's loginMs */
  readonly timeoutMs?: number | undefined;
  /** Log in as this host's account from now on (the admin a first boot created). */
  readonly as?: Host | undefined;
}

export interface SessionBootWatch {
  readonly questions: readonly BootQuestion[];
  /** Any of these on the last line ends the watch. @default the platform's login prompt */
  readonly done?: readonly RegExp[] | undefined;
  readonly timeoutMs: number;
  /** A question no one knows, left quiet this long, stops the watch (DIALOG_UNEXPECTED). */
  readonly unknownQuestionMs: number;
  /** @default the session's signal */
  readonly signal?: AbortSignal | undefined;
}
