/**
 * Real peers for the SNMP agent tests: net-snmp's command-line tools, Debian's tftpd-hpa, and a
 * simulated device view whose copyConfig really uploads over TFTP with netops' TFTP client.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  copyFailure,
  type CopyRequest,
  type EntityRow,
  type SnmpDeviceView,
  type SystemInfo,
} from '../../src/lab/snmp/device-view.js';
import { TftpClientError, tftpPut } from '../../src/tftp/client.js';
import { stopChild } from '../helpers/child-process.js';

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a net-snmp tool with numeric OIDs and enums (the Cisco MIBs are not installed). */
export function snmp(tool: string, args: readonly string[]): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(
      tool,
      ['-On', '-Oe', '-t', '1', '-r', '1', ...args],
      { timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `.1.3.6...= TYPE: value` lines as a map from OID (no leading dot) to the value text. */
export function parseValues(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [, oid, value] = /^\.?([\d.]+) = (?:[\w-]+: )?(.*)$/.exec(line) ?? [];
    if (oid !== undefined && value !== undefined) values.set(oid, value.replace(/^"(.*)"$/s, '$1'));
  }
  return values;
}

export interface TftpServer {
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
}

/**
 * Starts tftpd-hpa on 127.0.0.1 or ::1. in.tftpd refuses port 0, so a port is found free first and
 * the start is retried if another process takes it in between.
 */
export async function startTftpd(address: '127.0.0.1' | '::1'): Promise<TftpServer> {
  const dir = await mkdtemp(join(tmpdir(), 'snmp-tftpd-'));
  // tftpd-hpa drops to user nobody, which must be able to create the uploaded file (-c).
  await chmod(dir, 0o777);
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeUdpPort(address);
    const bindTo = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    const child = spawn('/usr/sbin/in.tftpd', ['-L', '-a', bindTo, '-c', '-s', dir], { stdio: 'ignore' });
    if (await listening(child, address, port)) {
      return {
        port,
        dir,
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild(child);
  }
  throw new Error(`tftpd-hpa did not start on ${address}`);
}

export async function freeUdpPort(address: string): Promise<number> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((done) => socket.bind(0, address, done));
  const { port } = socket.address();
  await new Promise<void>((done) => socket.close(done));
  return port;
}

/** The daemon is up when its port is taken (binding it fails) while the process still runs. */
async function listening(child: ChildProcess, address: string, port: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) return false;
    const probe = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    const taken = await new Promise<boolean>((done) => {
      probe.once('error', () => done(true));
      probe.bind(port, address, () => done(false));
    });
    probe.close();
    if (taken) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/**
 * Retransmission timing of the device's TFTP client. A server that answers gets a first time-out no
 * loaded machine reaches, so its WRQ is never sent twice: tftpd-hpa forks a child per WRQ, and the
 * child of a late duplicate opens the file with O_TRUNC after the first child wrote it (an empty
 * upload: a 250 ms time-out made the first copy test fail under load). A server that never answers
 * fails after 1 + 2 + 4 s, long enough for a test to see that copy running and the next one waiting.
 */
const answering = { timeoutMs: 10_000, retries: 1 } as const;
const silent = { timeoutMs: 1000, retries: 2 } as const;

/** Uploads with netops' own TFTP client (the devices' one); rejects with the ccCopyFailCause a router reports. */
export async function tftpUpload(
  data: Buffer,
  server: { family: 4 | 6; address: string },
  port: number | undefined,
  filename: string,
): Promise<void> {
  try {
    const timing = port === undefined ? silent : answering;
    await tftpPut({ server: server.address, port: port ?? 9, filename, data, ...timing });
  } catch (error) {
    const kind = error instanceof TftpClientError ? error.kind : undefined;
    const cause = kind === 'timeout' ? 'timeout' : kind === 'remote-error' ? 'badFileName' : 'unknown';
    throw copyFailure(cause, `TFTP put of ${filename} to ${server.address} failed: ${String(error)}`);
  }
}

export const runningConfig = Buffer.from(
  ['!', 'version 15.2', 'hostname r1', '!', 'snmp-server community s3cret RW', 'end', ''].join('\r\n'),
);

export function entity(index: number, fields: Partial<EntityRow>): EntityRow {
  return {
    index,
    descr: '',
    vendorType: '0.0',
    containedIn: 0,
    class: 2,
    parentRelPos: -1,
    name: '',
    hardwareRev: '',
    firmwareRev: '',
    softwareRev: '',
    serialNum: '',
    mfgName: '',
    modelName: '',
    alias: '',
    assetId: '',
    isFru: false,
    ...fields,
  };
}

/** A small IOS router as the device helper would present it, uploading for real over TFTP. */
export class TestDevice implements SnmpDeviceView {
  readonly requests: CopyRequest[] = [];
  /** TFTP server address -> port; other addresses get port 9, where nothing answers (timeout). */
  readonly tftpServers = new Map<string, number>();
  running = 0;
  maxRunning = 0;
  entityRows: EntityRow[] = [
    entity(1, {
      descr: 'Cisco ISR4331 Chassis',
      vendorType: '1.3.6.1.4.1.9.12.3.1.3.1649',
      class: 3,
      name: 'Chassis',
      serialNum: 'FDO2101A0B1',
      modelName: 'ISR4331/K9',
      mfgName: 'Cisco Systems, Inc.',
      hardwareRev: 'V04',
      softwareRev: '16.9.4',
    }),
    entity(2, {
      descr: 'Power Supply Bay 0',
      class: 5,
      containedIn: 1,
      parentRelPos: 0,
      name: 'Power Supply Bay 0',
    }),
    entity(3, {
      descr: '250W AC Power Supply',
      class: 6,
      containedIn: 2,
      parentRelPos: 0,
      name: 'Power Supply Module 0',
      serialNum: 'PST2101A0C2',
      modelName: 'PWR-4330-AC',
      isFru: true,
    }),
    entity(4, {
      descr: 'Cisco ISR4331 Fan Tray',
      class: 7,
      containedIn: 1,
      parentRelPos: 1,
      name: 'Fan Tray',
      serialNum: 'FAN2101A0D3',
      modelName: 'ACS-4330-FANASSY',
      isFru: true,
    }),
  ];
  readonly #started = Date.now();

  system(): SystemInfo {
    return {
      descr:
        'Cisco IOS Software [Fuji], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 16.9.4, RELEASE SOFTWARE (fc2)',
      objectId: '1.3.6.1.4.1.9.1.1861',
      upTimeTicks: Math.floor((Date.now() - this.#started) / 10),
      contact: 'noc@example.net',
      name: 'r1.example.net',
      location: 'Lab rack 4',
      services: 78,
    };
  }

  entities(): readonly EntityRow[] {
    return this.entityRows;
  }

  async copyConfig(request: CopyRequest): Promise<void> {
    this.requests.push(request);
    this.maxRunning = Math.max(this.maxRunning, ++this.running);
    try {
      if (request.source === 'runningConfig' && request.dest === 'startupConfig') return;
      if (
        request.source !== 'runningConfig' ||
        request.dest !== 'networkFile' ||
        !request.server ||
        !request.filename
      ) {
        throw copyFailure('unknown', 'only running-config to TFTP or startup is simulated here');
      }
      await tftpUpload(
        runningConfig,
        request.server,
        this.tftpServers.get(request.server.address),
        request.filename,
      );
    } finally {
      this.running--;
    }
  }
}
