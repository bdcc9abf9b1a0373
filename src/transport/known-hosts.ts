/**
 * Pinned SSH host keys, one line per device: `HOST` or `[HOST]:PORT`, `KEYTYPE BASE64` (the OpenSSH known_hosts
 * shape, unhashed, so an engineer can read and edit it). A key is trusted on first use only when
 * asked; a changed key is always refused, showing both fingerprints and how to accept the new one.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { NetopsError } from '../core/errors.js';
import { stateDir } from '../core/state-dir.js';

export function defaultKnownHostsFile(): string {
  return path.join(stateDir(), 'known-hosts');
}

/** OpenSSH's `SHA256:...` fingerprint of a key blob (base64 without padding). */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type is the first string of the SSH wire blob (uint32 length + bytes). */
function keyType(keyBlob: Buffer): string {
  const length = keyBlob.length >= 4 ? keyBlob.readUInt32BE(0) : 0;
  return length > 0 && length < 64 ? keyBlob.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

export interface HostKeyCheck {
  readonly file: string;
  /** What the key is pinned under: the address as written, `[address]:port` unless the port is 22. */
  readonly id: string;
  readonly trustNew: boolean;
  readonly host?: string | undefined;
}

// One writer at a time per file inside this process: parallel first connections must not lose keys.
const writes = new Map<string, Promise<unknown>>();

/** Resolves with `known` or `pinned`; throws HOSTKEY_UNKNOWN or HOSTKEY_CHANGED. */
export async function verifyHostKey(check: HostKeyCheck, keyBlob: Buffer): Promise<'known' | 'pinned'> {
  const previous = writes.get(check.file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => verifyLocked(check, keyBlob));
  writes.set(check.file, next);
  return next;
}

async function verifyLocked(check: HostKeyCheck, keyBlob: Buffer): Promise<'known' | 'pinned'> {
  const lines = await readLines(check.file);
  const type = keyType(keyBlob);
  const presented = keyBlob.toString('base64');
  const hostOpt = check.host === undefined ? {} : { host: check.host };
  const index = lines.findIndex((l) => l.split(' ')[0] === check.id);
  if (index >= 0) {
    const [, , pinned = ''] = (lines[index] as string).split(' ');
    if (pinned === presented) return 'known';
    const was = fingerprint(Buffer.from(pinned, 'base64'));
    const now = fingerprint(keyBlob);
    throw new NetopsError(
      'HOSTKEY_CHANGED',
      `host key of ${check.id} changed: pinned ${was}, presented ${type} ${now}`,
      {
        hint: `If the device was replaced or re-keyed on purpose, check ${now} on its console (show ip ssh / show crypto key mypubkey), then delete line ${index + 1} of ${check.file} and connect once with trustNewHostKey (--trust-new-hosts). Otherwise treat it as an attack.`,
        ...hostOpt,
        details: { pinned: was, presented: now, file: check.file, line: index + 1 },
      },
    );
  }
  if (!check.trustNew) {
    throw new NetopsError(
      'HOSTKEY_UNKNOWN',
      `host key of ${check.id} is not pinned yet (${type} ${fingerprint(keyBlob)})`,
      {
        hint: `Check the fingerprint on the device, then run once with --trust-new-hosts (or set ssh.trustNewHostKey for this host) to pin it in ${check.file}.`,
        ...hostOpt,
        details: { presented: fingerprint(keyBlob), file: check.file },
      },
    );
  }
  lines.push(`${check.id} ${type} ${presented}`);
  await writeFileAtomic(check.file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return 'pinned';
}

async function readLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
