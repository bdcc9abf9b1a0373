/**
 * Turns what net-snmp reports into NetopsErrors a network engineer can act on. SNMPv3 failures
 * arrive as USM report PDUs (RFC 3414 §3.2); net-snmp keeps only their text, so the report
 * object is recovered from it and named, because that is what `show snmp` and agent logs count.
 */
import { NetopsError } from '../core/errors.js';
import { netSnmp, netSnmpErrorName } from './net-snmp.js';

/** Where a request went, for messages: `r1 (192.0.2.1 udp/161, SNMPv3 user netops)`. */
export interface SnmpTarget {
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly version: '2c' | '3';
  readonly user?: string;
  readonly timeoutMs: number;
  readonly retries: number;
}

interface UsmReport {
  readonly text: string;
  readonly object: string;
  readonly oid: string;
  readonly hint: string;
}

const usmReports: readonly UsmReport[] = [
  {
    text: 'Unsupported Security Level',
    object: 'usmStatsUnsupportedSecLevels',
    oid: '1.3.6.1.6.3.15.1.1.1.0',
    hint: "The agent's user does not allow this level: match `level` to the user's configuration (auth/priv).",
  },
  {
    text: 'Not In Time Window',
    object: 'usmStatsNotInTimeWindows',
    oid: '1.3.6.1.6.3.15.1.1.2.0',
    hint: "The agent's engine time moved (reboot or clock issue): retry; if it persists, check the agent's engine boots.",
  },
  {
    text: 'Unknown User Name',
    object: 'usmStatsUnknownUserNames',
    oid: '1.3.6.1.6.3.15.1.1.3.0',
    hint: 'Create the SNMPv3 user on the device or correct `snmp.user` in the inventory.',
  },
  {
    text: 'Unknown Engine ID',
    object: 'usmStatsUnknownEngineIDs',
    oid: '1.3.6.1.6.3.15.1.1.4.0',
    hint: 'Engine discovery failed: check that nothing between netops and the device rewrites SNMP packets.',
  },
  {
    text: 'Wrong Digest',
    object: 'usmStatsWrongDigests',
    oid: '1.3.6.1.6.3.15.1.1.5.0',
    hint: 'The authentication key or protocol does not match the device: check `snmp.authKey` and `snmp.authProtocol`.',
  },
  {
    text: 'Decryption Error',
    object: 'usmStatsDecryptionErrors',
    oid: '1.3.6.1.6.3.15.1.1.6.0',
    hint: 'The privacy key or protocol does not match the device: check `snmp.privKey` and `snmp.privProtocol`.',
  },
];

export function describeTarget(t: SnmpTarget): string {
  const who = t.version === '3' ? `SNMPv3 user ${t.user ?? ''}` : 'SNMPv2c';
  const at = t.address.includes(':') ? `[${t.address}]` : t.address;
  return `${at} udp/${t.port}, ${who}`;
}

export function snmpError(error: unknown, target: SnmpTarget, what: string): NetopsError {
  if (error instanceof NetopsError) return error;
  const where = `${target.host} (${describeTarget(target)})`;
  const name = netSnmpErrorName(error);
  const text = error instanceof Error ? error.message : String(error);
  const base = { host: target.host, cause: error };

  if (name === 'RequestTimedOutError') {
    const tries = target.retries + 1;
    return new NetopsError(
      'SNMP_TIMEOUT',
      `${where}: no answer to ${what} after ${tries} tries of ${target.timeoutMs} ms`,
      {
        ...base,
        transient: true,
        hint:
          target.version === '2c'
            ? 'Check that the device is reachable, that its SNMP ACL allows netops, and the community (a wrong community is silently dropped).'
            : 'Check that the device is reachable and that its SNMP ACL allows netops; a wrong privacy key can also be silently dropped.',
      },
    );
  }
  if (name === 'ResponseInvalidError') {
    const code = (error as { code?: number }).code;
    const report = usmReports.find((r) => text.includes(r.text));
    if (report) {
      return new NetopsError(
        'SNMP_AUTH',
        `${where}: ${what} refused, the agent answered with report ${report.object} (${report.oid})`,
        {
          ...base,
          hint: report.hint,
          details: { report: report.object, reportOid: report.oid },
        },
      );
    }
    if (code === netSnmp.ResponseInvalidCode.EAuthFailure) {
      return new NetopsError(
        'SNMP_AUTH',
        `${where}: the answer to ${what} failed authentication (digest mismatch)`,
        {
          ...base,
          hint: 'The authentication key or protocol does not match the device: check `snmp.authKey` and `snmp.authProtocol`.',
        },
      );
    }
    if (code === netSnmp.ResponseInvalidCode.ECouldNotDecrypt) {
      return new NetopsError('SNMP_AUTH', `${where}: the answer to ${what} could not be decrypted`, {
        ...base,
        hint: 'The privacy key or protocol does not match the device: check `snmp.privKey` and `snmp.privProtocol`.',
      });
    }
  }
  if (name === 'RequestFailedError') {
    const status = (error as { status?: number }).status;
    const statusName = status === undefined ? text : (netSnmp.ErrorStatus[status] ?? text);
    return new NetopsError('SNMP_ERROR', `${where}: ${what} failed with error-status ${text}`, {
      ...base,
      hint: statusHint(statusName),
      details: { errorStatus: statusName },
    });
  }
  return new NetopsError('SNMP_ERROR', `${where}: ${what} failed: ${text}`, {
    ...base,
    transient: /EHOSTUNREACH|ENETUNREACH|ECONNREFUSED/.test(text),
    hint: 'Check the address and port of the device and that the network lets SNMP through.',
  });
}

function statusHint(status: string): string {
  switch (status) {
    case 'NotWritable':
    case 'NoAccess':
    case 'ReadOnly':
    case 'AuthorizationError':
      return 'The agent refused the write: use a read-write community (`snmp.writeCommunity`) or a v3 user whose view allows SET.';
    case 'TooBig':
      return 'The answer did not fit in one message: lower `maxRepetitions`.';
    case 'NoCreation':
    case 'InconsistentValue':
    case 'WrongValue':
    case 'WrongType':
      return 'The agent rejected the values: check that the device supports this MIB and these settings.';
    default:
      return 'Check the agent log on the device for the reason.';
  }
}
