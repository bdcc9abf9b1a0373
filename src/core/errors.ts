/**
 * The one error type of netops. Every failure a user can see carries a code from a closed union
 * (so run records and alerts can be filtered), a message that says what happened, and a hint that
 * says what to do about it.
 */

export type ErrorCode =
  // files users write
  | 'CONFIG_INVALID'
  | 'CONFIG_UNREADABLE'
  | 'SECRET_MISSING'
  | 'LIMIT_EMPTY'
  // running
  | 'ABORTED'
  | 'STEP_TIMEOUT'
  | 'CONFIRM_REQUIRED'
  | 'LOCKED'
  | 'INTERNAL'
  // reaching devices
  | 'CONNECT_REFUSED'
  | 'CONNECT_TIMEOUT'
  | 'UNREACHABLE'
  | 'NAME_UNRESOLVED'
  | 'CLOSED_BY_PEER'
  | 'AUTH_FAILED'
  | 'SSH_NO_COMMON_ALGORITHM'
  | 'HOSTKEY_CHANGED'
  | 'HOSTKEY_UNKNOWN'
  | 'PROMPT_TIMEOUT'
  | 'PRIV_UNREACHABLE'
  | 'COMMAND_REJECTED'
  | 'DIALOG_UNEXPECTED'
  | 'DIALOG_UNANSWERED'
  | 'OUTPUT_TOO_LARGE'
  | 'SESSION_SETUP_FAILED'
  // TFTP
  | 'TFTP_NO_UPLOAD'
  | 'TFTP_UNEXPECTED_SOURCE'
  | 'TFTP_REFUSED'
  | 'TFTP_TRANSFER_FAILED'
  | 'TFTP_BIND_FAILED'
  // SNMP
  | 'SNMP_TIMEOUT'
  | 'SNMP_AUTH'
  | 'SNMP_ERROR'
  | 'SNMP_COPY_FAILED'
  // store, notify, workflows
  | 'CONFIG_REJECTED'
  | 'FALLBACK_USED'
  /** A fetched config is shorter than the device said or lacks its closing line; the last good copy is kept. */
  | 'TRUNCATED'
  | 'STORE_FAILED'
  | 'NOTIFY_FAILED'
  /** A `netops run --report` file could not be written. */
  | 'REPORT_FAILED'
  | 'WORKFLOW_FAILED'
  /** The restore vault (store/vault.ts): key file missing or unsafe, an entry that does not decrypt. */
  | 'VAULT_FAILED'
  /** A stored revision without an unsanitized copy in the vault: its masked config cannot be installed. */
  | 'NOT_RESTORABLE'
  | 'LAB_FAILED'
  /** The machine's file system refused netops a file (full, read-only, not this user's, failing). */
  | 'FILE_SYSTEM'
  /** The scale-out queue (queue/): Redis unreachable or refusing us, a run Redis does not hold. */
  | 'QUEUE_UNREACHABLE'
  | 'QUEUE_FAILED'
  /** No worker of the host's site took it within `queue.site_timeout`. */
  | 'NO_WORKER'
  /** A worker died during a host's destructive steps; they are never started on it a second time. */
  | 'HOST_INTERRUPTED';

export interface NetopsErrorOptions {
  /** What to do about it: one sentence a tired engineer can act on. */
  readonly hint: string;
  /** The inventory host the error concerns, when there is one. */
  readonly host?: string;
  /** A retry may succeed (time-outs, refused connections); the runner retries only these. */
  readonly transient?: boolean;
  readonly cause?: unknown;
  /** Anything machine-readable worth keeping in the run record (never secrets). */
  readonly details?: Record<string, unknown>;
}

export class NetopsError extends Error {
  override readonly name = 'NetopsError';
  readonly code: ErrorCode;
  readonly hint: string;
  readonly host: string | undefined;
  readonly transient: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: NetopsErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.host = options.host;
    this.transient = options.transient ?? false;
    this.details = options.details;
  }

  /** The shape kept in run records and alerts. */
  toJSON(): ErrorRecord {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export interface ErrorRecord {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint: string;
  readonly details?: Record<string, unknown>;
}

/**
 * What to do when the file system refuses a file, by errno: the machine's state, not a bug of
 * netops (a full disk at 02:00 must not read "please report it").
 */
const fileSystemHints: Readonly<Record<string, (file: string) => string>> = {
  ENOSPC: (file) => `The file system holding ${file} is full: free space on it (\`df -h\`), then run again.`,
  EDQUOT: (file) =>
    `This user's disk quota on ${file} is used up: free space or raise the quota, then run again.`,
  EFBIG: (file) => `${file} may not grow (a file size limit: \`ulimit -f\`): lift the limit, then run again.`,
  EROFS: (file) => `${file} is on a read-only file system: remount it read-write or point netops elsewhere.`,
  EACCES: (file) =>
    `This user may not use ${file}: fix its owner or mode, or run netops as the user who owns it.`,
  EPERM: (file) =>
    `This user may not use ${file}: fix its owner or mode, or run netops as the user who owns it.`,
  EIO: (file) => `The disk holding ${file} reported an I/O error: check the disk (\`dmesg\`).`,
};

/**
 * The file system's refusal of `file` (its errno one of those above) as FILE_SYSTEM, or undefined for
 * any other error. A write's error carries no path (only an open's does): callers that know the file
 * name it.
 */
export function fileSystemError(
  error: unknown,
  file = (error as NodeJS.ErrnoException | undefined)?.path,
): NetopsError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hint = code === undefined ? undefined : fileSystemHints[code];
  if (!hint || file === undefined) return undefined;
  const reason = error instanceof Error ? error.message : String(error);
  return new NetopsError('FILE_SYSTEM', `cannot use ${file}: ${reason}`, { hint: hint(file), cause: error });
}

/** Turns anything thrown into a NetopsError; unknown exceptions are bugs and say so. */
export function toNetopsError(error: unknown): NetopsError {
  if (error instanceof NetopsError) return error;
  const refused = fileSystemError(error);
  if (refused) return refused;
  const message = error instanceof Error ? error.message : String(error);
  return new NetopsError('INTERNAL', message, {
    hint: 'This is a bug in netops: please report it with the run record.',
    cause: error,
  });
}

export function isNetopsError(error: unknown, code?: ErrorCode): error is NetopsError {
  return error instanceof NetopsError && (code === undefined || error.code === code);
}
