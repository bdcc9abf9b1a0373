/**
 * The device as a TFTP client (device-reference.md §2, §4.3): uploads and downloads with netops'
 * own client, choosing the source address the way IOS does and mapping failures to the reason a
 * router prints in `%Error opening tftp://HOST/FILE (REASON)`.
 */
import { tftpGet, tftpPut, TftpClientError } from '../../tftp/client.js';
import { formatHostPort, parseAddress, formatIPv6 } from '../../net/address.js';
import { interfaceAddresses, tftpSourceInterfaceOf } from './config-tree.js';
import type { Device } from './device.js';

export interface TftpTarget {
  readonly server: string;
  /** @default the device's lab TFTP port (69 unless the lab says otherwise) */
  readonly port?: number;
  readonly filename: string;
  /** NX-OS: the VRF the user chose; only the device's TFTP VRF reaches servers. */
  readonly vrf?: string;
}

/** A failed copy, with the reason in the words IOS uses and why it happened (for the lab log). */
export class DeviceTftpError extends Error {
  override readonly name = 'DeviceTftpError';
  constructor(
    /** `Timed out`, `No such file or directory`, `Permission denied`, `Undefined error`. */
    readonly reason: string,
    /** NX-OS wording after `TFTP put operation failed:`. */
    readonly nxosReason: string,
    why: string,
  ) {
    super(why);
  }
}

const timedOut = (why: string) => new DeviceTftpError('Timed out', 'Connection timed out', why);

/** `tftp://HOST[:PORT]/FILE`, IPv6 in brackets. */
export function parseTftpUrl(url: string): { server: string; port?: number; filename: string } | undefined {
  const m = /^tftp:\/\/(\[[^\]]+\]|[^/:[\]]+)(?::(\d+))?\/(.*)$/i.exec(url);
  if (!m) return undefined;
  const server = (m[1] as string).replace(/^\[|\]$/g, '');
  return { server, ...(m[2] ? { port: Number(m[2]) } : {}), filename: m[3] as string };
}

export function tftpUrl(target: TftpTarget): string {
  const host = parseAddress(target.server)?.family === 6 ? `[${target.server}]` : target.server;
  return `tftp://${host}/${target.filename}`;
}

/**
 * The source address IOS would use: the `ip tftp source-interface` address of the server's family,
 * or none (the outgoing interface's, chosen by routing). With `ip tftp source-interface LoopbackN`
 * and an IPv6 server, 12.4(24)T used the loopback's IPv4 address as the top 32 bits of an IPv6
 * address although the loopback had an IPv6 address too (§2.4, the seed): the generated configs
 * give Loopback0 both, so the lab reproduces exactly that. `no ip tftp source-interface` ends it.
 */
export function sourceAddress(device: Device, server: string): { address?: string; quirk: boolean } {
  const name = tftpSourceInterfaceOf(device.running);
  if (!name) return { quirk: false };
  const addresses = interfaceAddresses(device.running, name);
  const family = parseAddress(server)?.family;
  if (family === 6 && /^loopback/i.test(name) && addresses.ipv4) {
    const v4 = parseAddress(addresses.ipv4);
    if (v4) {
      const bytes = new Uint8Array(16);
      bytes.set(v4.bytes, 0);
      return { address: formatIPv6(bytes), quirk: true };
    }
  }
  const own = family === 6 ? addresses.ipv6 : addresses.ipv4;
  return own ? { address: own.replace(/\/\d+$/, ''), quirk: false } : { quirk: false };
}

/** The local address to bind: only where the device owns its addresses (netns mode). */
function localAddressFor(device: Device, target: TftpTarget): { localAddress?: string } {
  if (!device.bindSourceAddresses) return {};
  const source = sourceAddress(device, target.server);
  return source.address ? { localAddress: source.address } : {};
}

function check(device: Device, target: TftpTarget): void {
  if (target.vrf !== undefined && target.vrf !== device.tftpVrf) {
    throw timedOut(`the server is reachable through VRF ${device.tftpVrf}, not ${target.vrf}`);
  }
  const source = sourceAddress(device, target.server);
  if (source.quirk && !device.bindSourceAddresses) {
    // In loopback mode this address cannot be bound; the router's packets would go out from it and
    // never be answered, so the copy times out.
    throw timedOut(`source ${source.address} (Loopback IPv4 read as the top 32 bits of IPv6) is not usable`);
  }
}

function mapError(error: unknown, target: TftpTarget, port: number): DeviceTftpError {
  const where = formatHostPort(target.server, port);
  if (error instanceof DeviceTftpError) return error;
  if (error instanceof TftpClientError && error.kind === 'remote-error') {
    const why = `${where} answered ERROR ${String(error.code)} ${error.remoteMessage ?? ''}`.trim();
    if (error.code === 1) return new DeviceTftpError('No such file or directory', 'File not found', why);
    if (error.code === 2) return new DeviceTftpError('Permission denied', 'Access violation', why);
    return new DeviceTftpError('Undefined error', error.remoteMessage ?? 'Undefined error', why);
  }
  const message = error instanceof Error ? error.message : String(error);
  return timedOut(`no answer from ${where}: ${message}`);
}

const tftpTiming = { timeoutMs: 1000, retries: 3 } as const;

/**
 * A truncated upload: about half the file, ending inside a line, as nearly every transfer that stops
 * after some block does (a cut that fell on a line's end would look whole wherever no size is told).
 */
function cutShort(data: Buffer): Buffer {
  let end = data.length >> 1;
  while (end > 1 && (data[end - 1] === 0x0a || data[end - 1] === 0x0d)) end--;
  return data.subarray(0, end);
}

export async function deviceUpload(
  device: Device,
  target: TftpTarget,
  data: Buffer,
  onBlock?: (block: number) => void,
): Promise<{ bytes: number; ms: number }> {
  const port = target.port ?? device.tftpPort;
  try {
    check(device, target);
    const fault = device.faults.tftp;
    if (fault === 'never-sent') throw timedOut('fault: upload never sent');
    const sent = fault === 'truncated' ? cutShort(data) : data;
    const result = await tftpPut({
      server: target.server,
      port,
      filename: target.filename,
      data: sent,
      ...tftpTiming,
      ...localAddressFor(device, target),
      ...(onBlock ? { onBlock } : {}),
    });
    device.lastTftpFailure = undefined;
    return { bytes: data.length, ms: result.ms };
  } catch (error) {
    const failure = mapError(error, target, port);
    device.lastTftpFailure = failure.message;
    throw failure;
  }
}

export async function deviceDownload(device: Device, target: TftpTarget): Promise<Buffer> {
  const port = target.port ?? device.tftpPort;
  try {
    check(device, target);
    const data = await tftpGet({
      server: target.server,
      port,
      filename: target.filename,
      ...tftpTiming,
      ...localAddressFor(device, target),
    });
    device.lastTftpFailure = undefined;
    return data;
  } catch (error) {
    const failure = mapError(error, target, port);
    device.lastTftpFailure = failure.message;
    throw failure;
  }
}
