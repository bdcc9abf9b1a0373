/**
 * Transfer events: a structured record for JSON logs and run records, and the classic one-line form
 * engineers know from other tftpds (`<peer>  <port>  WRQ  OCTET  <file>  STARTED`). File names,
 * modes and reasons come from the network: in the line form their control bytes are escaped, so a
 * name holding a newline or an ESC cannot forge a log line or drive the terminal.
 */

export type TftpEventKind = 'listening' | 'started' | 'success' | 'failed' | 'refused' | 'busy' | 'closed';

export interface TftpLogEvent {
  readonly time: string;
  readonly event: TftpEventKind;
  /** The client's address (IPv4-mapped forms shown as IPv4) and port; absent for server events. */
  readonly peer?: string;
  readonly port?: number;
  readonly op?: 'RRQ' | 'WRQ';
  readonly mode?: string;
  readonly file?: string;
  /** The local address and port: the listener for requests, the bound endpoint for `listening`. */
  readonly local?: string;
  readonly bytes?: number;
  /** Negotiated options, for `started`. */
  readonly options?: Readonly<Record<string, string>>;
  /** The TFTP error sent or received. */
  readonly error?: { readonly code: number; readonly message: string };
  /** Why, in words: the diagnosis of a refusal or the cause of a failure. */
  readonly reason?: string;
  /** The inventory host this concerns, when known. */
  readonly host?: string;
}

export function formatLogLine(event: TftpLogEvent): string {
  if (event.peer === undefined)
    return `${event.event.toUpperCase()}  ${event.local ?? ''}${reasonText(event)}`;
  const head = [
    event.peer,
    event.port ?? '-',
    event.op ?? '-',
    (event.mode ?? '-').toUpperCase(),
    event.file ?? '-',
  ]
    .map((field) => escapeControl(String(field)))
    .join('  ');
  switch (event.event) {
    case 'started':
      return `${head}  STARTED`;
    case 'success':
      return `${head}  SUCCESS [${event.bytes ?? 0} bytes]`;
    default:
      return `${head}  ${event.event.toUpperCase()}${reasonText(event)}`;
  }
}

function reasonText(event: TftpLogEvent): string {
  const error = event.error ? ` (TFTP error ${event.error.code}: ${escapeControl(event.error.message)})` : '';
  return event.reason ? `: ${escapeControl(event.reason)}${error}` : error;
}

/**
 * C0 and C1 controls, DEL and the Unicode line separators as `\xNN`/`\uNNNN`, and the backslash
 * itself doubled, so an escaped byte cannot be mistaken for the same text sent literally.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\\\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    if (c === '\\') return '\\\\';
    const code = c.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
