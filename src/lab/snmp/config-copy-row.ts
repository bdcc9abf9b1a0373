/**
 * One CISCO-CONFIG-COPY-MIB ccCopyEntry (device-reference.md §6): its columns as the agent reads
 * them, how each writable column checks and takes a SET value, and when a row may become active.
 * Rows are immutable values, so a SET PDU is tried on copies and committed all at once.
 */
import { formatIPv4, formatIPv6, parseIPv4 } from '../../net/address.js';
import type { ConfigFileType, CopyFailCause, CopyRequest } from './device-view.js';
import { Asn, integer, octets, type AsnType, type TableColumn } from './mib.js';
import { rowStatusValue, type RowState } from './row-status.js';

export const ccCopyEntry = [1, 3, 6, 1, 4, 1, 9, 9, 96, 1, 1, 1, 1];

export const CopyState = { waiting: 1, running: 2, successful: 3, failed: 4 } as const;

export const configFileTypes: readonly ConfigFileType[] = [
  'networkFile',
  'iosFile',
  'startupConfig',
  'runningConfig',
  'terminal',
  'fabricStartupConfig',
];

export const copyFailCauses: readonly CopyFailCause[] = [
  'unknown',
  'badFileName',
  'timeout',
  'noMem',
  'noConfig',
  'unsupportedProtocol',
  'someConfigApplyFailed',
  'systemNotReady',
  'requestAborted',
];

const tftp = 1;
const inetIPv4 = 1;
const inetIPv6 = 2;

export interface CopyRow {
  readonly index: number;
  readonly protocol: number;
  /** Unset until the manager sets it (the MIB has no default). */
  readonly source: ConfigFileType | undefined;
  readonly dest: ConfigFileType | undefined;
  readonly serverAddressType: number;
  readonly serverAddress: Buffer;
  readonly fileName: string;
  readonly userName: string;
  /** Kept for the copy, never read back (reads return a zero-length string, per the MIB). */
  readonly password: string;
  readonly notifyOnCompletion: number;
  readonly vrf: string;
  readonly status: RowState;
  readonly copyState: number;
  readonly timeStarted: number;
  readonly timeCompleted: number;
  /** ccCopyFailCause number; 0 while the row has not failed. */
  readonly failCause: number;
}

export function newCopyRow(index: number): CopyRow {
  return {
    index,
    protocol: tftp,
    source: undefined,
    dest: undefined,
    serverAddressType: 0,
    serverAddress: Buffer.alloc(0),
    fileName: '',
    userName: '',
    password: '',
    notifyOnCompletion: 2,
    vrf: '',
    status: 'notReady',
    copyState: CopyState.waiting,
    timeStarted: 0,
    timeCompleted: 0,
    failCause: 0,
  };
}

const ticks = (value: number) => ({ type: Asn.TimeTicks, value: value >>> 0 });
const fileTypeValue = (type: ConfigFileType | undefined) =>
  type === undefined ? undefined : integer(configFileTypes.indexOf(type) + 1);

export const copyColumns: readonly TableColumn<CopyRow>[] = [
  { column: 2, value: (r) => integer(r.protocol) },
  { column: 3, value: (r) => fileTypeValue(r.source) },
  { column: 4, value: (r) => fileTypeValue(r.dest) },
  {
    // The deprecated IPv4-only column shows the Rev1 address when that is IPv4, else 0.0.0.0.
    column: 5,
    value: (r) => ({ type: Asn.IpAddress, value: isIPv4(r) ? formatIPv4(r.serverAddress) : '0.0.0.0' }),
  },
  { column: 6, value: (r) => octets(r.fileName) },
  { column: 7, value: (r) => octets(r.userName) },
  { column: 8, value: () => octets('') },
  { column: 9, value: (r) => integer(r.notifyOnCompletion) },
  { column: 10, value: (r) => integer(r.copyState) },
  { column: 11, value: (r) => ticks(r.timeStarted) },
  { column: 12, value: (r) => ticks(r.timeCompleted) },
  { column: 13, value: (r) => (r.copyState === CopyState.failed ? integer(r.failCause) : undefined) },
  { column: 14, value: (r) => integer(rowStatusValue(r.status)) },
  { column: 15, value: (r) => integer(r.serverAddressType) },
  { column: 16, value: (r) => octets(r.serverAddress) },
  { column: 17, value: (r) => octets(r.vrf) },
];

export const rowStatusColumn = 14;
export const readOnlyColumns: ReadonlySet<number> = new Set([10, 11, 12, 13]);

/** Why a SET value is refused (RFC 3416 §4.2.5 names), or undefined when it is acceptable. */
export type ValueProblem = 'wrongType' | 'wrongLength' | 'wrongValue';

export interface WritableColumn {
  readonly asn: AsnType;
  check(value: unknown): Exclude<ValueProblem, 'wrongType'> | undefined;
  apply(row: CopyRow, value: unknown): CopyRow;
}

const enumColumn = (
  allowed: readonly number[],
  apply: (row: CopyRow, n: number) => CopyRow,
): WritableColumn => ({
  asn: Asn.Integer,
  check: (v) => (allowed.includes(v as number) ? undefined : 'wrongValue'),
  apply: (row, v) => apply(row, v as number),
});

const textColumn = (
  min: number,
  max: number,
  apply: (row: CopyRow, s: string) => CopyRow,
): WritableColumn => ({
  asn: Asn.OctetString,
  check: (v) => ((v as Buffer).length < min || (v as Buffer).length > max ? 'wrongLength' : undefined),
  apply: (row, v) => apply(row, (v as Buffer).toString('utf8')),
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const writableColumns: ReadonlyMap<number, WritableColumn> = new Map<number, WritableColumn>([
  [2, enumColumn(range(1, 5), (r, protocol) => ({ ...r, protocol }))],
  [3, enumColumn(range(1, 6), (r, n) => ({ ...r, source: configFileTypes[n - 1] }))],
  [4, enumColumn(range(1, 6), (r, n) => ({ ...r, dest: configFileTypes[n - 1] }))],
  [
    5,
    {
      asn: Asn.IpAddress,
      check: (v) => (v === '0.0.0.0' || v === '255.255.255.255' ? 'wrongValue' : undefined),
      // The MIB: setting the deprecated column fills ccCopyServerAddressRev1 and its type.
      apply: (r, v) => ({
        ...r,
        serverAddressType: inetIPv4,
        serverAddress: Buffer.from(parseIPv4(v as string) ?? new Uint8Array(4)),
      }),
    },
  ],
  [6, textColumn(0, 255, (r, fileName) => ({ ...r, fileName }))],
  [7, textColumn(1, 40, (r, userName) => ({ ...r, userName }))],
  [8, textColumn(1, 40, (r, password) => ({ ...r, password }))],
  [9, enumColumn([1, 2], (r, notifyOnCompletion) => ({ ...r, notifyOnCompletion }))],
  // InetAddressType: unknown, ipv4, ipv6, ipv4z, ipv6z, dns. Only ipv4/ipv6 can be activated.
  [15, enumColumn([0, 1, 2, 3, 4, 16], (r, serverAddressType) => ({ ...r, serverAddressType }))],
  [
    16,
    {
      asn: Asn.OctetString,
      check: (v) => ((v as Buffer).length > 255 ? 'wrongLength' : undefined),
      apply: (r, v) => ({ ...r, serverAddress: Buffer.from(v as Buffer) }),
    },
  ],
  [17, textColumn(0, 32, (r, vrf) => ({ ...r, vrf }))],
]);

function isIPv4(row: CopyRow): boolean {
  return row.serverAddressType === inetIPv4 && row.serverAddress.length === 4;
}

function isIPv6(row: CopyRow): boolean {
  return row.serverAddressType === inetIPv6 && row.serverAddress.length === 16;
}

/** What keeps the row from becoming active (the MIB's rules), or undefined when it may. */
export function copyRowProblem(row: CopyRow): string | undefined {
  if (row.source === undefined || row.dest === undefined)
    return 'ccCopySourceFileType and ccCopyDestFileType are both required';
  if (row.source === row.dest) return 'source and destination are the same file type';
  const configs: readonly ConfigFileType[] = ['startupConfig', 'runningConfig'];
  if (!configs.includes(row.source) && !configs.includes(row.dest)) {
    return 'one side must be startupConfig or runningConfig';
  }
  if (row.source === 'networkFile' || row.dest === 'networkFile') {
    if (row.fileName === '') return 'a networkFile copy needs ccCopyFileName';
    if (!isIPv4(row) && !isIPv6(row)) return 'a networkFile copy needs an IPv4 or IPv6 server address';
  }
  return undefined;
}

/** The request for the device, or the fail cause when the agent itself cannot start the copy. */
export function copyRequestFor(row: CopyRow): CopyRequest | CopyFailCause {
  const { source, dest } = row;
  if (source === undefined || dest === undefined) return 'unknown';
  if (row.protocol !== tftp) return 'unsupportedProtocol';
  const network = source === 'networkFile' || dest === 'networkFile';
  return {
    protocol: 'tftp',
    source,
    dest,
    ...(network
      ? {
          server: isIPv4(row)
            ? { family: 4, address: formatIPv4(row.serverAddress) }
            : { family: 6, address: formatIPv6(row.serverAddress) },
          filename: row.fileName,
        }
      : {}),
    ...(row.vrf === '' ? {} : { vrf: row.vrf }),
  };
}
