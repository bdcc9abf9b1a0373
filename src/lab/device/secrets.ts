/**
 * Password forms a Cisco config carries: type 0 (clear), type 7 (reversible Vigenère-like obfuscation,
 * decoded by every tool) and type 5 (a salted hash). The simulator only needs its own hashes to verify
 * against themselves, so type 5 here is an md5-crypt look-alike built on SHA-256, not the real algorithm.
 */
import { createHash } from 'node:crypto';

// The well-known type 7 translation string (public since the 1990s; decoders in every toolkit).
const xlat = 'dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87';

export function encodeType7(clear: string, seed: number): string {
  const start = seed % 16;
  let out = start.toString().padStart(2, '0');
  for (let i = 0; i < clear.length; i++) {
    const key = xlat.charCodeAt((start + i) % xlat.length);
    out += (clear.charCodeAt(i) ^ key).toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function decodeType7(encoded: string): string | undefined {
  if (!/^\d{2}([0-9A-Fa-f]{2})*$/.test(encoded)) return undefined;
  const start = Number(encoded.slice(0, 2));
  let out = '';
  for (let i = 2; i < encoded.length; i += 2) {
    const key = xlat.charCodeAt((start + (i - 2) / 2) % xlat.length);
    out += String.fromCharCode(parseInt(encoded.slice(i, i + 2), 16) ^ key);
  }
  return out;
}

const saltChars = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `$1$salt$hash` (IOS) or `$5$salt$hash` (NX-OS): deterministic for a given salt seed. */
export function hashSecret(clear: string, prefix: '$1$' | '$5$', saltSeed: number): string {
  let salt = '';
  let n = saltSeed >>> 0;
  for (let i = 0; i < 4; i++) {
    salt += saltChars[n % saltChars.length];
    n = Math.floor(n / saltChars.length) + 7919 * (i + 1);
  }
  return `${prefix}${salt}$${digest(prefix, salt, clear)}`;
}

function digest(prefix: string, salt: string, clear: string): string {
  const length = prefix === '$1$' ? 22 : 43;
  return createHash('sha256')
    .update(`${salt}:${clear}`)
    .digest('base64')
    .replace(/[+=]/g, '.')
    .slice(0, length);
}

/** True when `clear` matches a stored secret of the given type (0, 5 or 7). */
export function secretMatches(type: string, stored: string, clear: string): boolean {
  if (type === '0') return stored === clear;
  if (type === '7') return decodeType7(stored) === clear;
  if (type === '5' || type === '8' || type === '9') {
    const match = /^(\$[15]\$)([^$]+)\$(.+)$/.exec(stored);
    return !!match && digest(match[1] as string, match[2] as string, clear) === match[3];
  }
  return false;
}
