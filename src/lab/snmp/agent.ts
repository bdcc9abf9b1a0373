/**
 * The SNMP agent of one simulated device: SNMPv2-MIB system, ENTITY-MIB entPhysicalTable and a
 * writable CISCO-CONFIG-COPY-MIB ccCopyTable, over v1/v2c communities and SNMPv3 USM, on UDP over
 * IPv4 and IPv6. One agent may listen on several addresses (127.0.0.1 and ::1) with one port, one
 * engine ID and one copy table, as a device answers on all of its addresses.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { NetopsError } from '../../core/errors.js';
import { parseAddress } from '../../net/address.js';
import { CopyTable } from './config-copy-table.js';
import type { SnmpDeviceView } from './device-view.js';
import { entityTable } from './entity-table.js';
import { snapshot } from './mib.js';
import { respond } from './responder.js';
import { systemGroup } from './system-group.js';
import { createWire, type SnmpV3User } from './wire.js';

export type { SnmpV3User } from './wire.js';

export interface SnmpFaults {
  /** Answer nothing at all (not even v3 discovery), as a device with a broken SNMP process. */
  readonly silent?: boolean;
  /** Hold every request this long before answering. @default 0 */
  readonly delayMs?: number;
}

export interface SnmpAgentOptions {
  /**
   * Where to listen: '127.0.0.1', '::1', '::' (dual-stack), or several addresses that then share
   * one port.
   */
  readonly address: string | readonly string[];
  /** 0 picks an ephemeral port that is free on every address. */
  readonly port: number;
  /** Read communities answer GET/GETNEXT/GETBULK; write communities also SET. */
  readonly communities: { readonly read: readonly string[]; readonly write: readonly string[] };
  /** SNMPv3 users; they may read and write. @default [] */
  readonly v3Users?: readonly SnmpV3User[];
  /** @default no faults */
  readonly faults?: SnmpFaults;
}

export interface SnmpEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface SnmpAgentHandle {
  /** The port, the same on every address. */
  readonly port: number;
  /** The first address. */
  readonly address: string;
  readonly addresses: readonly SnmpEndpoint[];
  /** Replaces the faults; takes effect for the next datagram. */
  setFaults(faults: SnmpFaults): void;
  /** Stops listening and forgets the copy table; copies in progress finish unobserved. */
  close(): Promise<void>;
}

const bindAttempts = 10;

export async function startSnmpAgent(
  device: SnmpDeviceView,
  options: SnmpAgentOptions,
): Promise<SnmpAgentHandle> {
  const addresses = typeof options.address === 'string' ? [options.address] : [...options.address];
  const [first] = addresses;
  if (first === undefined) {
    throw new NetopsError('LAB_FAILED', 'SNMP agent was given no address to listen on', {
      hint: "Pass an address such as '127.0.0.1' or ['127.0.0.1', '::1'].",
    });
  }
  const table = new CopyTable(device);
  const sections = [
    systemGroup(() => device.system()),
    entityTable(() => device.entities()),
    table.section(),
  ];
  const receive = createWire({
    communities: options.communities,
    v3Users: options.v3Users ?? [],
    answer: (request) => respond(() => snapshot(sections), table, request),
  });

  let faults: SnmpFaults = options.faults ?? {};
  const delayed = new Set<NodeJS.Timeout>();
  const onMessage = (socket: Socket) => (buffer: Buffer, rinfo: RemoteInfo) => {
    if (faults.silent) return;
    const delayMs = faults.delayMs ?? 0;
    if (delayMs <= 0) return receive(socket, buffer, rinfo);
    const timer = setTimeout(() => {
      delayed.delete(timer);
      receive(socket, buffer, rinfo);
    }, delayMs);
    delayed.add(timer);
  };

  const { sockets, port } = await bindAll(addresses, options.port);
  for (const socket of sockets) socket.on('message', onMessage(socket));
  return {
    port,
    address: first,
    addresses: addresses.map((address) => ({ address, port })),
    setFaults(next) {
      faults = next;
    },
    async close() {
      for (const timer of delayed) clearTimeout(timer);
      delayed.clear();
      table.close();
      await Promise.all(sockets.map((s) => new Promise<void>((done) => s.close(() => done()))));
    },
  };
}

/** Binds one socket per address on one port; with port 0, retries until a port is free on all. */
async function bindAll(
  addresses: readonly string[],
  port: number,
): Promise<{ sockets: Socket[]; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const sockets: Socket[] = [];
    let bound = port;
    try {
      for (const address of addresses) {
        const socket = await bind(address, bound);
        sockets.push(socket);
        bound = socket.address().port;
      }
      return { sockets, port: bound };
    } catch (error) {
      sockets.forEach((s) => s.close());
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (port === 0 && inUse && sockets.length > 0 && attempt < bindAttempts) continue;
      throw new NetopsError(
        'LAB_FAILED',
        `SNMP agent cannot listen on UDP ${addresses.join(', ')} port ${port}: ${(error as Error).message}`,
        {
          hint: inUse
            ? 'Pick another port, or 0 for an ephemeral one.'
            : 'Use a local address such as 127.0.0.1 or ::1.',
          cause: error,
          details: { addresses, port },
        },
      );
    }
  }
}

function bind(address: string, port: number): Promise<Socket> {
  const family = parseAddress(address)?.family;
  if (family === undefined) return Promise.reject(new Error(`${address} is not an IP address`));
  // '::' serves IPv4 too (dual-stack); a specific IPv6 address serves only itself.
  const socket = createSocket({ type: family === 4 ? 'udp4' : 'udp6', ipv6Only: false });
  return new Promise((resolve, reject) => {
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind(port, address, () => {
      socket.removeAllListeners('error');
      // A UDP agent has no one to report send errors to; a lost answer is what the manager sees.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}
