/**
 * The resolved shapes of what users write: one Host after inventory inheritance, with secrets still
 * as references. Loaders in this folder produce them; every other layer only reads them.
 */

/** A secret is never written in a file netops keeps; it is fetched when a task needs it. */
export type SecretRef =
  | { readonly env: string }
  | { readonly file: string }
  /** Plain text in the inventory: accepted with a warning. */
  | { readonly value: string };

export interface Credentials {
  /** The name of the set in the inventory's `credentials` section. */
  readonly name: string;
  readonly username: string;
  readonly password?: SecretRef;
  /** Enable secret for IOS privilege escalation. */
  readonly enable?: SecretRef;
  readonly privateKey?: SecretRef;
}

export type SnmpSettings =
  | {
      readonly version: '2c';
      readonly community: SecretRef;
      /** Community with write access, for CISCO-CONFIG-COPY-MIB. */
      readonly writeCommunity?: SecretRef;
      readonly port: number;
    }
  | {
      readonly version: '3';
      readonly user: string;
      readonly level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
      readonly authProtocol?: 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
      readonly authKey?: SecretRef;
      readonly privProtocol?: 'des' | 'aes' | 'aes256b' | 'aes256r';
      readonly privKey?: SecretRef;
      readonly port: number;
    };

export interface ConsoleLine {
  /** Terminal server address (literal or name). */
  readonly host: string;
  /** TCP port of this device's line (reverse telnet, e.g. 2000 + line). */
  readonly port: number;
}

export interface SshOptions {
  /** Offer the old key exchanges, ciphers and host-key types that old IOS needs. Off by default. */
  readonly legacyAlgorithms: boolean;
  /** Accept and pin an unknown host key on first connection. Off by default. */
  readonly trustNewHostKey: boolean;
}

export type TransportName = 'ssh' | 'telnet';

export interface Host {
  readonly name: string;
  /** A canonical IP literal (RFC 5952 for IPv6) or a host name resolved when connecting. */
  readonly address: string;
  /** Management port; undefined means the transport's standard port. */
  readonly port: number | undefined;
  /** Force one address family when a name resolves to both. */
  readonly family: 4 | 6 | undefined;
  /**
   * The site whose management network reaches the host (`netops run --queue`: only workers of that
   * site take it). Undefined: the `default` site.
   */
  readonly site?: string | undefined;
  readonly platform: string | undefined;
  readonly transport: TransportName;
  readonly console: ConsoleLine | undefined;
  readonly snmp: SnmpSettings | undefined;
  readonly credentials: Credentials | undefined;
  readonly ssh: SshOptions;
  /** Group names, direct memberships first, then inherited ones. */
  readonly groups: readonly string[];
  /** Free data for tasks and templates, merged key by key with the same precedence. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** Where a host's value came from, for `inventory list --show-origin`. */
export interface Origin {
  readonly source: 'host' | `group:${string}` | 'defaults' | 'built-in';
  readonly file?: string;
  readonly line?: number;
}
