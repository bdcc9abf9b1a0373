/**
 * Login details an importer found (a user, a password, an enable secret, a key file) as netops
 * credential sets: hosts with the same details share one set, named after its user. A secret in
 * clear goes into a 0600 file when the user asked for a secrets folder, else it becomes an
 * environment reference; a secret the importer cannot read (vault-encrypted, templated) is always
 * a reference. Every reference left to fill in is a problem, reported once per set.
 */
import { inventoryName, type ImportCollector } from './collector.js';
import type { ImportedSecretRef } from './imported.js';
import { envName, secretReference } from './secret-files.js';

/** A secret the importer cannot read, with why and how the user gets its value. */
export interface UnreadableSecret {
  readonly unreadable: string;
  readonly hint: string;
}

export type FoundSecret = string | UnreadableSecret | undefined;

export interface Login {
  readonly user: string | undefined;
  readonly password: FoundSecret;
  readonly enable: FoundSecret;
  /** An absolute path to a private key file. */
  readonly key: string | undefined;
}

export class CredentialSets {
  readonly #sets = new Map<string, string>();
  readonly #collector: ImportCollector;
  readonly #secretsDir: string | undefined;

  constructor(collector: ImportCollector, secretsDir: string | undefined) {
    this.#collector = collector;
    this.#secretsDir = secretsDir;
  }

  /** The name of the set for this login (created on first use), or undefined when it holds nothing. */
  async setFor(login: Login, origin: string): Promise<string | undefined> {
    if (Object.values(login).every((value) => value === undefined)) return undefined;
    const identity = JSON.stringify(login);
    const known = this.#sets.get(identity);
    if (known !== undefined) return known;
    const name = this.#freeName(login.user ?? 'imported');
    this.#sets.set(identity, name);
    const secret = (value: FoundSecret, field: string) =>
      this.#reference(value, { set: name, field, origin });
    const [password, enable] = [
      await secret(login.password, 'password'),
      await secret(login.enable, 'enable'),
    ];
    this.#collector.credentials({
      name,
      username: login.user,
      ...(password ? { password } : {}),
      ...(enable ? { enable } : {}),
      ...(login.key === undefined ? {} : { privateKey: { file: login.key } }),
      origin,
    });
    return name;
  }

  #freeName(user: string): string {
    const base = inventoryName(user);
    const taken = new Set(this.#sets.values());
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    return name;
  }

  async #reference(
    value: FoundSecret,
    at: { set: string; field: string; origin: string },
  ): Promise<ImportedSecretRef | undefined> {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && this.#secretsDir !== undefined)
      return secretReference(value, { dir: this.#secretsDir, set: at.set, field: at.field });
    const env = { env: envName(at.set, at.field) };
    const clear = typeof value === 'string';
    this.#collector.problem({
      origin: at.origin,
      message: `the ${at.field} of credential set ${at.set} ${clear ? 'is written in clear in the source' : value.unreadable}; left as the reference ${env.env}`,
      hint: clear
        ? `Export ${env.env}, or import again with --secrets-dir DIR to write it into a 0600 file.`
        : `Export ${env.env} with its value (${value.hint}), or point the set at a { file: PATH }.`,
    });
    return env;
  }
}
