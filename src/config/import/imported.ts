/**
 * What every importer (RANCID, Ansible, Oxidized CSV, NetBox) produces from a source it reads: hosts,
 * groups and credential sets in netops' vocabulary, plus a problem for everything it could not map.
 * An importer never drops a host silently: a host it cannot complete is still returned, with a
 * problem naming its source line or object.
 */

/**
 * A secret as a reference only: an importer never puts a secret's value in its result. A `file`
 * path is absolute; whoever writes an inventory makes it relative to that inventory's folder.
 */
export type ImportedSecretRef = { readonly env: string } | { readonly file: string };

/** Where something came from: `path:line` for files, or an object id such as `netbox dcim.device 42`. */
export type ImportOrigin = string;

export interface ImportedCredentials {
  /** The set's name, a valid inventory name; hosts refer to it by this name. */
  readonly name: string;
  /** Undefined when the source does not say (RANCID without `.cloginrc`): the user fills it in. */
  readonly username: string | undefined;
  readonly password?: ImportedSecretRef;
  readonly enable?: ImportedSecretRef;
  readonly privateKey?: ImportedSecretRef;
  readonly origin: ImportOrigin;
}

export interface ImportedHost {
  /** A valid inventory name (`namePattern` of inventory-schema.ts), unique in the result. */
  readonly name: string;
  /**
   * An IP literal in RFC 5952 form or a host name; undefined when the source has none (a problem
   * says so, and the host cannot be used until one is given).
   */
  readonly address: string | undefined;
  readonly port?: number;
  /** A netops platform name (`ios`, `nxos`, `frr`); undefined when unmapped (a problem says so). */
  readonly platform?: string;
  readonly transport?: 'ssh' | 'telnet';
  /** Names of groups in the result this host belongs to directly, in the source's order. */
  readonly groups: readonly string[];
  /**
   * The host's own values for netops' free `data`, already resolved by the source's rules (for
   * Ansible: the host's variables after group inheritance, minus those mapped to the fields above).
   */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Name of a set in the result's `credentials`. */
  readonly credentials?: string;
  /** The source marks it out of service (RANCID `down`, NetBox status not active, ...). */
  readonly disabled?: boolean;
  readonly origin: ImportOrigin;
}

export interface ImportedGroup {
  /** A valid inventory name, unique in the result. */
  readonly name: string;
  /** Groups this group belongs to (Ansible: the groups that list it among their `children`). */
  readonly parents: readonly string[];
  readonly origin: ImportOrigin;
}

/** Something the importer could not map; the user reads it with its origin and acts on the hint. */
export interface ImportProblem {
  readonly origin: ImportOrigin;
  /** The host it concerns, by its name in the result, when there is one. */
  readonly host?: string;
  readonly message: string;
  readonly hint: string;
}

export interface ImportResult {
  /** What was read, for the header of a written inventory: `ansible inventory hosts.ini`. */
  readonly source: string;
  readonly hosts: readonly ImportedHost[];
  readonly groups: readonly ImportedGroup[];
  readonly credentials: readonly ImportedCredentials[];
  readonly problems: readonly ImportProblem[];
}
