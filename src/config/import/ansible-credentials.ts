/**
 * Ansible's login variables to netops credential sets: `ansible_user`, `ansible_password` (or
 * `ansible_ssh_pass`), `ansible_become_password` (the enable secret on network devices) and
 * `ansible_ssh_private_key_file`. Hosts with the same four share one set. A vault-encrypted or
 * templated value stays a reference for the user to fill in; a value in clear goes into a 0600
 * file when asked (`secretsDir`), else it too becomes a reference.
 */
import os from 'node:os';
import path from 'node:path';
import { inventoryName, type ImportCollector } from './collector.js';
import type { ImportedSecretRef } from './imported.js';
import { envName, secretReference } from './secret-files.js';

export const credentialVars = [
  'ansible_user',
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_become_password',
  'ansible_become_pass',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
] as const;

interface Login {
  readonly user: unknown;
  readonly password: unknown;
  readonly enable: unknown;
  readonly key: unknown;
}

export class AnsibleCredentials {
  readonly #sets = new Map<string, string>();
  readonly #collector: ImportCollector;
  readonly #secretsDir: string | undefined;
  readonly #baseDir: string;

  constructor(collector: ImportCollector, place: { secretsDir: string | undefined; baseDir: string }) {
    this.#collector = collector;
    this.#secretsDir = place.secretsDir;
    this.#baseDir = place.baseDir;
  }

  /** The name of the set for these variables (created on first use), or undefined when none is set. */
  async setFor(vars: Readonly<Record<string, unknown>>, origin: string): Promise<string | undefined> {
    const login: Login = {
      user: vars['ansible_user'],
      password: vars['ansible_password'] ?? vars['ansible_ssh_pass'],
      enable: vars['ansible_become_password'] ?? vars['ansible_become_pass'],
      key: vars['ansible_ssh_private_key_file'] ?? vars['ansible_private_key_file'],
    };
    if (Object.values(login).every((value) => value === undefined)) return undefined;
    const identity = JSON.stringify(login);
    const known = this.#sets.get(identity);
    if (known !== undefined) return known;
    const name = this.#freeName(typeof login.user === 'string' ? login.user : 'ansible');
    this.#sets.set(identity, name);
    const secret = (value: unknown, field: string) => this.#reference(value, { set: name, field, origin });
    const [password, enable] = [
      await secret(login.password, 'password'),
      await secret(login.enable, 'enable'),
    ];
    this.#collector.credentials({
      name,
      username: typeof login.user === 'string' ? login.user : undefined,
      ...(password ? { password } : {}),
      ...(enable ? { enable } : {}),
      ...(typeof login.key === 'string' ? { privateKey: { file: this.#keyPath(login.key) } } : {}),
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
    value: unknown,
    at: { set: string; field: string; origin: string },
  ): Promise<ImportedSecretRef | undefined> {
    if (value === undefined || value === null) return undefined;
    const env = { env: envName(at.set, at.field) };
    const why =
      typeof value === 'object' && '__ansible_vault' in value
        ? 'is encrypted with Ansible Vault'
        : String(value).includes('{{')
          ? 'is a Jinja2 expression netops does not evaluate'
          : undefined;
    if (why === undefined && this.#secretsDir !== undefined)
      return secretReference(String(value), { dir: this.#secretsDir, set: at.set, field: at.field });
    this.#collector.problem({
      origin: at.origin,
      message: `the ${at.field} of credential set ${at.set} ${why ?? 'is written in clear in the inventory'}; left as the reference ${env.env}`,
      hint:
        why === undefined
          ? `Export ${env.env}, or import again with --secrets-dir DIR to write it into a 0600 file.`
          : `Export ${env.env} with its value (\`ansible HOST -i INVENTORY -m ansible.builtin.debug -a var=ansible_password --ask-vault-pass\` shows it), or point the set at a { file: PATH }.`,
    });
    return env;
  }

  #keyPath(file: string): string {
    const expanded = file.startsWith('~/') ? path.join(os.homedir(), file.slice(2)) : file;
    return path.resolve(this.#baseDir, expanded);
  }
}
