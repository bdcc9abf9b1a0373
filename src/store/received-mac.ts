/**
 * What lets a backup know, without sanitizing, that a config it received is the one its host's
 * stored copy was made from: a keyed MAC of the received text together with everything that shapes
 * the stored copy from it. A backup keeps the MAC in the host's explanation (explanation.ts, beside
 * the store, never in it); the next backup that receives the same bytes under the same shape, while
 * the store still holds that copy, would store that copy again and can say `unchanged` at once.
 *
 * Keyed, never a plain hash: the stored copy is the received text minus its secrets, so a plain hash
 * of the received text would let anyone who reads the state folder test guesses of the secrets
 * offline. The key is derived from the store's placeholder key (placeholder-key.ts: kept beside the
 * store, 0600, never in it, never logged): no second key file to protect and back up, and a new
 * placeholder key (which changes every placeholder) makes every MAC stale by construction. The
 * derivation's input holds a line break, which no secret value can, so a MAC key is never a
 * placeholder's hash.
 */
import { createHash, createHmac } from 'node:crypto';
import { folderCodeDigest } from '../core/code-digest.js';
import { version } from '../core/version.js';
import type { NoiseRules } from './noise-rules.js';
import type { ConfigRules } from './rules.js';
import { withoutVolatileHead } from './volatile-header.js';

/** Everything besides the received text that decides what the store keeps of it. */
export interface ConfigShape {
  /** The host's platform: its secret grammar, volatile lines and completeness checks (`rules`). */
  readonly platform: string | undefined;
  /** The platform's rules, the common secret grammar included. */
  readonly rules: ConfigRules;
  /** The job's ignore and normalize rules for this host. */
  readonly noise: NoiseRules;
  readonly sanitize: boolean;
  /** `store.placeholders`; the key itself is in the MAC's key. */
  readonly placeholders: string;
  readonly allowShrink: boolean;
  readonly baseline: string | undefined;
}

export interface ReceivedMac {
  /** MAC of the shape alone: tells a changed shape from a received text that changed. */
  readonly shape: string;
  /** MAC of the shape and the received text. */
  readonly mac: string;
}

const KEY_PURPOSE = 'netops\nMAC of a received config\n';

/** The MAC key of a store, from its placeholder key. */
export function receivedMacKey(placeholderKey: Buffer): Buffer {
  return createHmac('sha256', placeholderKey).update(KEY_PURPOSE).digest();
}

/**
 * The MACs of `raw` under `shape`, its head's volatile lines left out (volatile-header.ts). `code` stands for the sanitizer's code: netops' version alone
 * would not, since a clone run from git keeps its version across fixes, and a fix to the sanitizer
 * (a secret shape it missed) must reach every stored copy at the next backup.
 */
export function receivedMac(
  key: Buffer,
  shape: ConfigShape,
  raw: string,
  code: string = storeCodeDigest(),
): ReceivedMac {
  const described = JSON.stringify({
    version,
    code,
    platform: shape.platform ?? null,
    rules: rulesDigest(shape.rules),
    noise: JSON.stringify(shape.noise, withPatterns),
    sanitize: shape.sanitize,
    placeholders: shape.sanitize ? shape.placeholders : null,
    allowShrink: shape.allowShrink,
    baseline: shape.baseline ?? null,
  });
  const shapeMac = createHmac('sha256', key).update(described).digest('hex');
  // The text but its droppable head lines (volatile-header.ts), each part with its length: two
  // texts share a MAC only when they differ in nothing but lines the store drops.
  const hmac = createHmac('sha256', key).update(shapeMac).update('\n');
  for (const part of withoutVolatileHead(raw, shape.rules, shape.noise))
    hmac.update(`${part.length}:`).update(part);
  return { shape: shapeMac, mac: hmac.digest('hex') };
}

/** Digests of platform rules, made once per rules object (one per platform in a run). */
const digests = new WeakMap<ConfigRules, string>();

/** The rules are code, not secrets: a plain digest of their patterns. */
function rulesDigest(rules: ConfigRules): string {
  let digest = digests.get(rules);
  if (digest === undefined) {
    digest = createHash('sha256').update(JSON.stringify(rules, withPatterns)).digest('hex');
    digests.set(rules, digest);
  }
  return digest;
}

/** A regular expression as its source and flags (JSON would write `{}`). */
function withPatterns(_key: string, value: unknown): unknown {
  return value instanceof RegExp ? `/${value.source}/${value.flags}` : value;
}

/** The digest of this folder's modules, read once per process. */
let storeCode: string | undefined;

/**
 * The sanitizer's code: every module of the store's folder (the sanitizer imports nothing outside
 * it but Node's own), so a change to any of them takes every host's next backup down the full path.
 */
export function storeCodeDigest(): string {
  storeCode ??= folderCodeDigest(import.meta.url);
  return storeCode;
}
