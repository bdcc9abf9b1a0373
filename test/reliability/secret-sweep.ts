/**
 * The secrets sweep: every secret value a test used is searched for in everything netops left
 * behind (files under a folder, and captured texts such as stdout, stderr, mails, error messages).
 * A hit names the secret's label and where it was found, never the value itself.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface Secret {
  /** What the secret is, for the failure message (e.g. "lab password", "r3 tacacs key 7"). */
  readonly label: string;
  readonly value: string;
  /**
   * Searched for as a whole token (between spaces, quotes and punctuation) instead of anywhere: for
   * the thousands of secrets a large fleet's configs carry, which a substring search of every file
   * for every secret could not afford.
   */
  readonly token?: boolean;
}

export interface SweepHit {
  readonly secret: string;
  readonly where: string;
}

/**
 * Secret-bearing tokens of a generated running-config: the values after the keywords that carry them,
 * every capture group of a match (a session key line holds two).
 */
const plantedPatterns: readonly RegExp[] = [
  /\b(?:secret|password|key|key-string|md5) [057] "?([^\s"]+)"?/g,
  /^crypto isakmp key (\S+)/gm,
  /^snmp-server community (\S+)/gm,
  /^snmp-server host \S+ (?:traps )?version 2c (\S+)/gm,
  /^ntp authentication-key \d+ \S+ (\S+)/gm,
  /^mpls ldp password (?:fallback|option \d+ for \S+) (\S+)$/gm,
  /^ +authentication mode hmac-sha-256 (\S+)$/gm,
  /^ +set session-key (?:inbound|outbound) esp \d+ cipher (\S+) authenticator (\S+)$/gm,
  /^ +sap pmk (\S+)/gm,
  // A type 0 key of a server block: the block's first line, its other lines, then the key.
  /^(?:radius|tacacs) server \S+\n(?: .*\n)*? key (?!7 )(\S+)$/gm,
  /^ +action \S+ mail server "[^:"]*:([^@"]+)@/gm,
];

/** The secrets a simulated device's config carries, labelled by device and the line's keyword. */
export function plantedSecrets(device: string, config: string): Secret[] {
  const found = new Map<string, Secret>();
  for (const pattern of plantedPatterns) {
    for (const match of config.matchAll(pattern)) {
      for (const value of match.slice(1)) {
        // Short tokens (a type digit, `0`) would match anywhere; every planted secret is longer.
        if (value === undefined || value.length < 6) continue;
        found.set(value, {
          label: `${device}: ${match[0].trim().split(' ')[0]} ... ${match[0].length} chars`,
          value,
          token: true,
        });
      }
    }
  }
  return [...found.values()];
}

/** Every regular file under `dir`, with its mode, skipping folders named in `skip` (relative names). */
export async function filesUnder(dir: string, skip: readonly string[] = []): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (skip.includes(entry.name)) continue;
    if (entry.isDirectory()) out.push(...(await filesUnder(full, skip)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

export async function sweep(
  secrets: readonly Secret[],
  sources: { readonly files?: readonly string[]; readonly texts?: Readonly<Record<string, string>> },
): Promise<SweepHit[]> {
  const hits: SweepHit[] = [];
  const anywhere = secrets.filter((s) => !s.token);
  const tokens = new Map(secrets.filter((s) => s.token).map((s) => [s.value, s]));
  const search = (where: string, text: string) => {
    for (const secret of anywhere)
      if (text.includes(secret.value)) hits.push({ secret: secret.label, where });
    if (tokens.size === 0) return;
    // `:` and `@` too: a password inside `user:password@host` is a token of its own.
    for (const word of new Set(text.split(/[\s"'`,;=()<>[\]{}\\:@]+/))) {
      const secret = tokens.get(word);
      if (secret) hits.push({ secret: secret.label, where });
    }
  };
  for (const file of sources.files ?? []) {
    if ((await stat(file)).size > 50_000_000) continue;
    search(file, await readFile(file, 'latin1'));
  }
  for (const [where, text] of Object.entries(sources.texts ?? {})) search(where, text);
  return hits;
}
