/**
 * The part of the net-snmp package netops uses, typed. The package ships no type declarations, so it
 * is loaded through `createRequire` and described here once; nothing else in `src/` touches it.
 */
import { createRequire } from 'node:module';

/** ASN.1 / SMI value types of a varbind, as net-snmp numbers them. */
export const ObjectType = {
  Integer: 2,
  OctetString: 4,
  Null: 5,
  OID: 6,
  IpAddress: 64,
  Counter: 65,
  Gauge: 66,
  TimeTicks: 67,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

export type ObjectTypeCode = (typeof ObjectType)[keyof typeof ObjectType];

export interface Varbind {
  readonly oid: string;
  readonly type: number;
  /** Buffer for OCTET STRING and Counter64, string for OID and IpAddress, number otherwise. */
  readonly value: unknown;
}

export interface VarbindToSet {
  readonly oid: string;
  readonly type: ObjectTypeCode;
  readonly value: number | string | Buffer;
}

type Callback<T> = (error: Error | null, result: T) => void;

export interface RawSession {
  get(oids: readonly string[], cb: Callback<Varbind[]>): void;
  getBulk(
    oids: readonly string[],
    nonRepeaters: number,
    maxRepetitions: number,
    cb: Callback<Varbind[][]>,
  ): void;
  set(varbinds: readonly VarbindToSet[], cb: Callback<Varbind[]>): void;
  close(): void;
  on(event: 'error' | 'close', listener: (...args: unknown[]) => void): void;
}

export interface RawSessionOptions {
  readonly port: number;
  readonly retries: number;
  readonly timeout: number;
  readonly transport: 'udp4' | 'udp6';
  readonly version: number;
  readonly backoff?: number;
}

export interface RawUser {
  readonly name: string;
  readonly level: number;
  readonly authProtocol?: number;
  readonly authKey?: string;
  readonly privProtocol?: number;
  readonly privKey?: string;
}

interface NetSnmpModule {
  createSession(target: string, community: string, options: RawSessionOptions): RawSession;
  createV3Session(target: string, user: RawUser, options: RawSessionOptions): RawSession;
  isVarbindError(varbind: Varbind): boolean;
  readonly Version2c: number;
  readonly Version3: number;
  readonly SecurityLevel: Readonly<Record<'noAuthNoPriv' | 'authNoPriv' | 'authPriv', number>>;
  readonly AuthProtocols: Readonly<Record<string, number>>;
  readonly PrivProtocols: Readonly<Record<string, number>>;
  readonly ErrorStatus: Readonly<Record<number, string>>;
  readonly ResponseInvalidCode: Readonly<Record<string, number>>;
}

export const netSnmp = createRequire(import.meta.url)('net-snmp') as NetSnmpModule;

/** Errors net-snmp reports carry a `name` from its own classes; this reads it without `instanceof`. */
export function netSnmpErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
