/**
 * Turns a failed upload into the NetopsError the runner reports: what stopped, at which block, and
 * what an engineer would check next.
 */
import { NetopsError } from '../core/errors.js';
import { TransferError, type TransferFailure } from './transfer.js';

const hints: Record<TransferFailure, string> = {
  timeout:
    'The transfer stalled: look for packet loss, a firewall dropping the server’s new UDP port, or an MTU ' +
    'problem with a large blksize (try the default 512).',
  'remote-error': 'The device ended the transfer with the TFTP error shown; see its copy output.',
  'too-large': 'Raise tftp.maxFileBytes (--max-file-bytes) if a file this large is expected.',
  short:
    'The device sent less than the size it announced: it may ignore the server’s OACK (its blksize), ' +
    'or the file changed while it was copied. Run the copy again; if it repeats, copy without TFTP ' +
    'options (no ip tftp blocksize).',
  aborted: 'The run was stopped (step time-out or Ctrl-C) while the transfer was under way; run it again.',
  protocol: 'The device broke the TFTP protocol; capture the transfer (tcpdump udp) and report it.',
  local: 'The server could not store the file: check free space and permissions of the TFTP root.',
};

export function transferFailed(
  filename: string,
  where: { readonly peer?: string; readonly port?: number; readonly host?: string | undefined },
  error: unknown,
): NetopsError {
  const kind: TransferFailure = error instanceof TransferError ? error.kind : 'local';
  const why = error instanceof Error ? error.message : String(error);
  const who = where.host
    ? `${where.host} (${where.peer} port ${where.port})`
    : `${where.peer} port ${where.port}`;
  return new NetopsError('TFTP_TRANSFER_FAILED', `transfer of ${filename} with ${who} failed: ${why}`, {
    hint: hints[kind],
    ...(where.host ? { host: where.host } : {}),
    transient: kind === 'timeout',
    cause: error,
    details: {
      filename,
      kind,
      ...(error instanceof TransferError && error.block !== undefined ? { block: error.block } : {}),
    },
  });
}
