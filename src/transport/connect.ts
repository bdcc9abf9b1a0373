/**
 * Opens the TCP connection every transport starts from: parses `[v6]:port` and `v4:port` forms,
 * resolves names to both families (or the forced one) and tries each address in turn, so a device
 * with a dead IPv6 path is still reached over IPv4.
 */
import type net from 'node:net';
import { NetopsError } from '../core/errors.js';
import { formatHostPort, parseAddress } from '../net/address.js';
import { resolveHost } from '../net/resolve.js';
import { tcpConnect } from '../net/tcp-connect.js';
import type { TransportTarget } from './transport.js';

export interface SplitTarget {
  readonly address: string;
  readonly port: number | undefined;
}

/** `[2001:db8::1]:2222` -> address + port; a bare IPv6 literal keeps all its colons. */
export function splitHostPort(text: string): SplitTarget {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    const port = bracketed[2];
    return { address: bracketed[1] as string, port: port === undefined ? undefined : Number(port) };
  }
  const withPort = /^([^:]+):(\d+)$/.exec(text);
  if (withPort) return { address: withPort[1] as string, port: Number(withPort[2]) };
  return { address: text, port: undefined };
}

export interface ConnectedSocket {
  readonly socket: net.Socket;
  /** `address:port` connected to, IPv6 bracketed. */
  readonly peer: string;
}

export async function connectTarget(
  target: TransportTarget,
  defaultPort: number,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined },
): Promise<ConnectedSocket> {
  const split = splitHostPort(target.address);
  const port = target.port ?? split.port ?? defaultPort;
  const literal = parseAddress(split.address);
  if (literal && target.family !== undefined && literal.family !== target.family) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `address ${split.address} is IPv${literal.family} but family ${target.family} is forced`,
      { hint: 'Remove `family` or give an address of that family.', ...hostOf(target) },
    );
  }
  const resolved = await resolveHost(split.address, target.family);
  const addresses = resolved.v6.concat(resolved.v4);
  let last: unknown;
  // An index loop over concat, not for-of over a spread: TurboFan's compile of this function (once
  // per process, late in a large run) costs about a sixth less CPU (bench/profile/README.md, session 11 J).
  for (let i = 0; i < addresses.length; i++) {
    const address = addresses[i] as string;
    try {
      const socket = await tcpConnect({
        address,
        port,
        timeoutMs: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
        ...hostOf(target),
      });
      return { socket, peer: formatHostPort(address, port) };
    } catch (error) {
      if (error instanceof NetopsError && error.code === 'ABORTED') throw error;
      last = error;
    }
  }
  throw last;
}

export function hostOf(target: TransportTarget): { host?: string } {
  return target.host === undefined ? {} : { host: target.host };
}
