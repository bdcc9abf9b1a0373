/**
 * An SNMP session to one inventory host: v2c or v3 (USM), over udp4 or udp6 chosen from the
 * resolved address, with per-host time-outs and retries and an AbortSignal that ends every wait.
 * Walks use GETBULK with a tunable max-repetitions. Errors leave as NetopsErrors naming the host.
 */
import { NetopsError } from '../core/errors.js';
import { resolveHost } from '../net/resolve.js';
import type { Host, SecretRef, SnmpSettings } from '../config/model.js';
import { netSnmp, ObjectType } from './net-snmp.js';
import type { RawSession, RawSessionOptions, RawUser, Varbind, VarbindToSet } from './net-snmp.js';
import { compareOids, isUnder } from './oid.js';
import { snmpError, type SnmpTarget } from './snmp-errors.js';

export type { Varbind, VarbindToSet } from './net-snmp.js';

export interface SnmpSessionOptions {
  /** Resolves secrets (communities, v3 keys) when the session opens; values never leave it. */
  readonly secret: (ref: SecretRef) => Promise<string>;
  readonly signal?: AbortSignal;
  /** Time-out of one request in milliseconds. @default 2000 */
  readonly timeoutMs?: number;
  /** Resends after a time-out. @default 1 */
  readonly retries?: number;
  /** Use the write community for v2c (CISCO-CONFIG-COPY-MIB needs it). @default false */
  readonly write?: boolean;
}

export interface WalkOptions {
  /** GETBULK max-repetitions: rows per request. @default 25 */
  readonly maxRepetitions?: number;
}

export class SnmpSession {
  readonly target: SnmpTarget;
  readonly #raw: RawSession;
  readonly #signal: AbortSignal | undefined;
  #closed = false;

  constructor(raw: RawSession, target: SnmpTarget, signal: AbortSignal | undefined) {
    this.#raw = raw;
    this.target = target;
    this.#signal = signal;
    // net-snmp forwards socket errors as events; a request in flight reports them itself.
    raw.on('error', () => undefined);
  }

  /** GET of the given OIDs; missing objects come back as varbinds whose type is NoSuchObject/NoSuchInstance. */
  get(oids: readonly string[]): Promise<Varbind[]> {
    return this.#request<Varbind[]>(`GET ${listOids(oids)}`, (cb) => this.#raw.get(oids, cb));
  }

  /** Every varbind below `base`, in agent order, through GETBULK. */
  walk(base: string, options: WalkOptions = {}): Promise<Varbind[]> {
    return this.walkTogether([base], options);
  }

  /**
   * Every varbind below each of `bases` (the columns of one table, say), each in agent order, all
   * walked at once: every GETBULK asks for the next rows of each base not yet finished, so a table
   * of R rows takes about R / maxRepetitions requests, not that many per column. A response an
   * agent shortened to fit its message size (RFC 3416 §4.2.3) only means more requests.
   */
  async walkTogether(bases: readonly string[], options: WalkOptions = {}): Promise<Varbind[]> {
    const maxRepetitions = options.maxRepetitions ?? 25;
    const found: Varbind[][] = bases.map(() => []);
    let open = bases.map((base, at) => ({ base, at, cursor: base }));
    while (open.length > 0) {
      const cursors = open.map((o) => o.cursor);
      const columns = await this.#request<Varbind[][]>(`GETBULK ${listOids(cursors)}`, (cb) =>
        this.#raw.getBulk(cursors, 0, maxRepetitions, cb),
      );
      if (columns.every((column) => !column || column.length === 0)) break;
      open = open.filter((o, i) => this.#advance(o, columns[i] ?? [], found[o.at]!));
    }
    return found.flat();
  }

  /** Takes one base's varbinds from a response; false once the base is finished. */
  #advance(walk: { base: string; cursor: string }, column: readonly Varbind[], found: Varbind[]): boolean {
    for (const vb of column) {
      if (vb.type === ObjectType.EndOfMibView || !isUnder(vb.oid, walk.base)) return false;
      if (compareOids(vb.oid, walk.cursor) <= 0) {
        throw new NetopsError(
          'SNMP_ERROR',
          `${this.target.host}: the agent returned ${vb.oid} after ${walk.cursor} while walking ${walk.base}`,
          {
            host: this.target.host,
            hint: 'The agent does not keep OIDs in order (a known bug of some agents): report it to the vendor.',
          },
        );
      }
      found.push(vb);
      walk.cursor = vb.oid;
    }
    return true;
  }

  /** One SET PDU with all varbinds, in the given order. */
  set(varbinds: readonly VarbindToSet[]): Promise<Varbind[]> {
    return this.#request<Varbind[]>(`SET ${listOids(varbinds.map((v) => v.oid))}`, (cb) =>
      this.#raw.set(varbinds, cb),
    );
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#raw.close();
  }

  #request<T>(what: string, send: (cb: (error: Error | null, result: T) => void) => void): Promise<T> {
    const signal = this.#signal;
    if (signal?.aborted) return Promise.reject(aborted(this.target.host, what));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        reject(aborted(this.target.host, what));
        // Closing the socket cancels the request inside net-snmp; its late callback is ignored.
        this.close();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      send((error, result) => {
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(snmpError(error, this.target, what));
        else resolve(result);
      });
    });
  }
}

/** The first OID and how many more: enough to find the request in a capture, short enough to read. */
function listOids(oids: readonly string[]): string {
  return oids.length > 1 ? `${oids[0]} and ${oids.length - 1} more` : (oids[0] ?? '');
}

function aborted(host: string, what: string): NetopsError {
  return new NetopsError('ABORTED', `${host}: ${what} was aborted`, {
    host,
    hint: 'The step timed out or the run was interrupted.',
  });
}

/** Opens a session for `host.snmp`. The host name is resolved here when it is not an IP literal. */
export async function openSnmpSession(host: Host, options: SnmpSessionOptions): Promise<SnmpSession> {
  const settings = host.snmp;
  if (!settings) {
    throw new NetopsError('SNMP_ERROR', `${host.name} has no snmp settings`, {
      host: host.name,
      hint: 'Add an `snmp` section (version 2c with a community, or version 3 with a user) to the host or one of its groups.',
    });
  }
  const address = await resolve(host, options.signal);
  const timeoutMs = options.timeoutMs ?? 2000;
  const retries = options.retries ?? 1;
  const raw: RawSessionOptions = {
    port: settings.port,
    retries,
    timeout: timeoutMs,
    transport: address.includes(':') ? 'udp6' : 'udp4',
    version: settings.version === '3' ? netSnmp.Version3 : netSnmp.Version2c,
  };
  const target: SnmpTarget = {
    host: host.name,
    address,
    port: settings.port,
    version: settings.version,
    timeoutMs,
    retries,
    ...(settings.version === '3' ? { user: settings.user } : {}),
  };
  if (settings.version === '2c') {
    const ref = options.write ? settings.writeCommunity : settings.community;
    if (!ref) {
      throw new NetopsError('SNMP_ERROR', `${host.name} has no snmp.writeCommunity for a write request`, {
        host: host.name,
        hint: 'Add `snmp.writeCommunity` (a read-write community) to use CISCO-CONFIG-COPY-MIB.',
      });
    }
    const community = await options.secret(ref);
    return new SnmpSession(netSnmp.createSession(address, community, raw), target, options.signal);
  }
  const user = await v3User(settings, options.secret);
  return new SnmpSession(netSnmp.createV3Session(address, user, raw), target, options.signal);
}

async function v3User(
  settings: Extract<SnmpSettings, { version: '3' }>,
  secret: (ref: SecretRef) => Promise<string>,
): Promise<RawUser> {
  const level = netSnmp.SecurityLevel[settings.level];
  if (settings.level === 'noAuthNoPriv') return { name: settings.user, level };
  const authKey = await required(settings.authKey, 'authKey', settings.user, secret);
  const authProtocol = netSnmp.AuthProtocols[settings.authProtocol ?? 'sha'];
  if (authProtocol === undefined) throw unsupported('authProtocol', settings.authProtocol);
  if (settings.level === 'authNoPriv') return { name: settings.user, level, authProtocol, authKey };
  const privKey = await required(settings.privKey, 'privKey', settings.user, secret);
  const privProtocol = netSnmp.PrivProtocols[settings.privProtocol ?? 'aes'];
  if (privProtocol === undefined) throw unsupported('privProtocol', settings.privProtocol);
  return { name: settings.user, level, authProtocol, authKey, privProtocol, privKey };
}

async function required(
  ref: SecretRef | undefined,
  field: string,
  user: string,
  secret: (ref: SecretRef) => Promise<string>,
): Promise<string> {
  if (!ref) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `SNMPv3 user ${user} needs snmp.${field} for its security level`,
      {
        hint: `Set snmp.${field} (a secret reference) or lower snmp.level.`,
      },
    );
  }
  return secret(ref);
}

function unsupported(field: string, value: string | undefined): NetopsError {
  return new NetopsError('CONFIG_INVALID', `snmp.${field} ${String(value)} is not supported by net-snmp`, {
    hint: 'Use one of md5, sha, sha224, sha256, sha384, sha512 (auth) or des, aes, aes256b, aes256r (priv).',
  });
}

/** An address literal as given; a name through the resolver, IPv4 first unless the host forces a family. */
async function resolve(host: Host, signal: AbortSignal | undefined): Promise<string> {
  if (signal?.aborted) throw aborted(host.name, `resolving ${host.address}`);
  try {
    const { v4, v6 } = await resolveHost(host.address, host.family);
    const address = v4[0] ?? v6[0];
    if (address !== undefined) return address;
  } catch (error) {
    if (error instanceof NetopsError)
      throw new NetopsError(error.code, `${host.name}: ${error.message}`, {
        hint: error.hint,
        host: host.name,
        transient: error.transient,
        cause: error,
      });
    throw error;
  }
  throw new NetopsError(
    'NAME_UNRESOLVED',
    `${host.name}: ${host.address} has no IPv${host.family ?? ''} address`,
    {
      host: host.name,
      hint: 'Check the name in the inventory and its DNS records, or set the address literally.',
    },
  );
}
