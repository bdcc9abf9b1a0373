/**
 * CISCO-CONFIG-COPY-MIB client (device-reference.md §6): the device copies a config to or from a
 * file server (usually the TFTP server netops hosts). One SET creates the row with every column and
 * RowStatus createAndGo last, as Cisco's own tools do; then ccCopyState is polled until the copy
 * succeeds or fails, and the row is destroyed either way.
 */
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { NetopsError } from '../core/errors.js';
import { parseAddress } from '../net/address.js';
import { ObjectType, type VarbindToSet } from './net-snmp.js';
import type { SnmpSession } from './session.js';
import { integer, isMissing } from './values.js';

const ccCopyEntry = '1.3.6.1.4.1.9.9.96.1.1.1.1';

const column = {
  protocol: 2,
  sourceFileType: 3,
  destFileType: 4,
  serverAddress: 5,
  fileName: 6,
  state: 10,
  failCause: 13,
  rowStatus: 14,
  serverAddressType: 15,
  serverAddressRev1: 16,
} as const;

export const configFileType = {
  networkFile: 1,
  iosFile: 2,
  startupConfig: 3,
  runningConfig: 4,
  terminal: 5,
  fabricStartupConfig: 6,
} as const;
export type ConfigFileType = keyof typeof configFileType;

const copyProtocol = { tftp: 1, ftp: 2, rcp: 3, scp: 4, sftp: 5 } as const;
const copyState = { waiting: 1, running: 2, successful: 3, failed: 4 } as const;
const rowStatus = { createAndGo: 4, destroy: 6 } as const;
const inetAddressType = { ipv4: 1, ipv6: 2 } as const;

export const copyFailCauses = [
  'unknown',
  'badFileName',
  'timeout',
  'noMem',
  'noConfig',
  'unsupportedProtocol',
  'someConfigApplyFailed',
  'systemNotReady',
  'requestAborted',
] as const;

export interface ConfigCopyRequest {
  readonly source: ConfigFileType;
  readonly dest: ConfigFileType;
  /** File server address (IP literal) when one side is a networkFile. */
  readonly server?: string;
  /** Path and name on the server, e.g. `r1-confg`. */
  readonly fileName?: string;
  /** @default 'tftp' */
  readonly protocol?: keyof typeof copyProtocol;
}

export interface ConfigCopyOptions {
  readonly signal?: AbortSignal;
  /** Give up when the copy has not finished after this long. @default 120000 */
  readonly timeoutMs?: number;
  /** Longest pause between two ccCopyState reads; the first reads come sooner. @default 1000 */
  readonly pollIntervalMs?: number;
  /** ccCopyIndex; random in 1..2147483647 unless given. */
  readonly index?: number;
}

export interface ConfigCopyResult {
  readonly index: number;
  /** ccCopyState reads it took, for diagnostics. */
  readonly polls: number;
}

/** Builds the one SET PDU: the columns, then RowStatus createAndGo last. */
export function copyRowVarbinds(index: number, request: ConfigCopyRequest): VarbindToSet[] {
  const oid = (col: number) => `${ccCopyEntry}.${col}.${index}`;
  const int = (col: number, value: number): VarbindToSet => ({
    oid: oid(col),
    type: ObjectType.Integer,
    value,
  });
  const varbinds = [
    int(column.protocol, copyProtocol[request.protocol ?? 'tftp']),
    int(column.sourceFileType, configFileType[request.source]),
    int(column.destFileType, configFileType[request.dest]),
  ];
  if (request.server !== undefined) {
    const address = parseAddress(request.server);
    if (!address) {
      throw new NetopsError('CONFIG_INVALID', `config copy server ${request.server} is not an IP address`, {
        hint: 'Give the address the device should use to reach the file server, as an IPv4 or IPv6 literal.',
      });
    }
    // ccCopyServerAddress (.5) is IPv4-only but is what every IOS release understands; IPv6 needs the Rev1 pair.
    if (address.family === 4)
      varbinds.push({ oid: oid(column.serverAddress), type: ObjectType.IpAddress, value: request.server });
    else {
      varbinds.push(int(column.serverAddressType, inetAddressType.ipv6));
      varbinds.push({
        oid: oid(column.serverAddressRev1),
        type: ObjectType.OctetString,
        value: Buffer.from(address.bytes),
      });
    }
  }
  if (request.fileName !== undefined)
    varbinds.push({ oid: oid(column.fileName), type: ObjectType.OctetString, value: request.fileName });
  varbinds.push(int(column.rowStatus, rowStatus.createAndGo));
  return varbinds;
}

export async function copyConfig(
  session: SnmpSession,
  request: ConfigCopyRequest,
  options: ConfigCopyOptions = {},
): Promise<ConfigCopyResult> {
  const index = options.index ?? randomInt(1, 2147483647);
  const host = session.target.host;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxPause = options.pollIntervalMs ?? 1000;
  await createRow(session, index, request);
  const deadline = Date.now() + timeoutMs;
  let polls = 0;
  let pause = Math.min(100, maxPause);
  try {
    for (;;) {
      const [stateVb] = await session.get([`${ccCopyEntry}.${column.state}.${index}`]);
      polls++;
      const state = integer(stateVb, 0);
      if (state === copyState.successful) return { index, polls };
      if (state === copyState.failed) throw await copyFailed(session, index, request);
      if (isMissing(stateVb)) {
        throw new NetopsError(
          'SNMP_COPY_FAILED',
          `${host}: ccCopyTable row ${index} disappeared before the copy finished`,
          {
            host,
            hint: 'Another manager may have destroyed the row; run the copy again.',
            transient: true,
          },
        );
      }
      if (Date.now() + pause > deadline) {
        const name = state === copyState.waiting ? 'waiting (another copy is running)' : 'running';
        throw new NetopsError(
          'SNMP_COPY_FAILED',
          `${host}: config copy row ${index} still ${name} after ${timeoutMs} ms`,
          {
            host,
            transient: true,
            hint: 'Check that the device can reach the file server, or raise the time-out for large configs.',
          },
        );
      }
      // ccCopyState has no event to wait for; start fast (a save takes ~100 ms) and back off to maxPause.
      await pauseUnlessAborted(pause, host, options.signal);
      pause = Math.min(pause * 2, maxPause);
    }
  } finally {
    await destroyRow(session, index);
  }
}

/**
 * SETs the row. A createAndGo answered inconsistentValue for a row that exists is our own SET seen
 * twice: its response was lost and the client sent it again to an agent that had created the row
 * (RFC 2579: createAndGo on an existing row is inconsistentValue; agents keep no response cache).
 * The index is ours, drawn at random from 2^31: the row is the copy we asked for.
 */
async function createRow(session: SnmpSession, index: number, request: ConfigCopyRequest): Promise<void> {
  try {
    await session.set(copyRowVarbinds(index, request));
  } catch (error) {
    if (!(error instanceof NetopsError) || error.details?.['errorStatus'] !== 'InconsistentValue')
      throw error;
    const [stateVb] = await session.get([`${ccCopyEntry}.${column.state}.${index}`]);
    if (isMissing(stateVb)) throw error;
  }
}

async function pauseUnlessAborted(ms: number, host: string, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    throw new NetopsError('ABORTED', `${host}: waiting for the config copy was aborted`, {
      host,
      cause: error,
      hint: 'The step timed out or the run was interrupted; the device may still finish the copy.',
    });
  }
}

async function copyFailed(
  session: SnmpSession,
  index: number,
  request: ConfigCopyRequest,
): Promise<NetopsError> {
  const [causeVb] = await session.get([`${ccCopyEntry}.${column.failCause}.${index}`]);
  const cause = copyFailCauses[integer(causeVb, 1) - 1] ?? 'unknown';
  const host = session.target.host;
  const what = `${request.source} -> ${request.dest}${request.fileName ? ` (${request.fileName})` : ''}`;
  return new NetopsError(
    'SNMP_COPY_FAILED',
    `${host}: config copy ${what} failed: ccCopyFailCause ${cause}`,
    {
      host,
      transient: cause === 'timeout' || cause === 'systemNotReady',
      hint: failHint(cause),
      details: { failCause: cause, index },
    },
  );
}

function failHint(cause: (typeof copyFailCauses)[number]): string {
  switch (cause) {
    case 'timeout':
      return 'The device could not reach the file server: check routes, ACLs and the TFTP source interface.';
    case 'badFileName':
      return 'The server refused the file name: check the path and that the server accepts this upload.';
    case 'noConfig':
      return 'The device has no such config (e.g. no startup-config yet).';
    case 'unsupportedProtocol':
      return 'The device does not support this copy protocol: use tftp.';
    case 'systemNotReady':
      return 'The device is busy (booting or another copy): retry later.';
    default:
      return 'Check the device log (`show logging`) for the copy failure.';
  }
}

async function destroyRow(session: SnmpSession, index: number): Promise<void> {
  try {
    await session.set([
      {
        oid: `${ccCopyEntry}.${column.rowStatus}.${index}`,
        type: ObjectType.Integer,
        value: rowStatus.destroy,
      },
    ]);
  } catch {
    // The row ages out on its own (no sooner than 5 minutes after completion); the copy's result stands.
  }
}
