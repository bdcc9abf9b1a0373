/**
 * Listen endpoints as users write them: `ADDR`, `ADDR:PORT`, `[V6]:PORT`, `[fe80::1%eth0]:PORT`.
 * A bare IPv6 address has colons of its own, so a port after it needs the brackets.
 */
import { NetopsError } from '../core/errors.js';
import { normalizeAddress, parseAddress } from './address.js';

export interface Endpoint {
  /** Canonical address text (RFC 5952, zone kept). */
  readonly address: string;
  readonly port: number;
}

function invalid(text: string, why: string): NetopsError {
  return new NetopsError('CONFIG_INVALID', `listen address "${text}" is invalid: ${why}`, {
    hint: 'Write ADDR, ADDR:PORT or [IPV6]:PORT, for example 0.0.0.0:69, [::]:69 or [fe80::1%eth0]:6969.',
  });
}

export function parseEndpoint(text: string, defaultPort: number): Endpoint {
  let host = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] as string;
    portText = bracketed[2];
  } else if (text.split(':').length === 2) {
    [host = '', portText] = text.split(':');
  }
  if (!parseAddress(host)) throw invalid(text, `"${host}" is not an IPv4 or IPv6 address`);
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw invalid(text, `port ${portText} is not 0-65535`);
  return { address: normalizeAddress(host) as string, port };
}
