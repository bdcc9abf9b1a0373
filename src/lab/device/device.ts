/**
 * One simulated device: its configuration state, files, hardware, faults and command log, and the
 * reload lifecycle. Access servers (SSH, telnet, console) watch its events: `reload` drops their
 * sessions, `booted` lets them in again.
 */
import { EventEmitter } from 'node:events';
import { hasUsers, hostnameOf, mergeText, parseText, type ConfigTree } from './config-tree.js';
import { generateConfig, ownSecrets, type GeneratorInput, type OwnSecrets } from './config-generator.js';
import { hardwareFor, type Hardware } from './hardware.js';
import type { CommandLogEntry, DeviceFaults, FileStore, Platform } from './model.js';
import { defaultHostname, flashName } from './model.js';
import { seeded, seedOf } from './random.js';
import { iosBody, nxosBody, type RenderContext } from './render.js';

export interface DeviceInit extends Omit<GeneratorInput, 'random' | 'policy' | 'hostname' | 'own'> {
  /** Inventory name; also the configured hostname. */
  readonly name: string;
  readonly seed: number;
  /** How long a reload keeps the device down. @default 3000 */
  readonly bootMs?: number;
  readonly faults?: DeviceFaults;
  /** The VRF through which TFTP servers are reachable (NX-OS asks for one). @default 'management' */
  readonly tftpVrf?: string;
  /** Port the device sends TFTP to when a URL names none (the lab's TFTP server). @default 69 */
  readonly tftpPort?: number;
  /**
   * The device owns its interface addresses (a device per network namespace): TFTP packets leave
   * from the source address IOS would choose, quirk included. Off in loopback mode, where those
   * addresses do not exist. @default false
   */
  readonly bindSourceAddresses?: boolean;
}

export type Phase = 'up' | 'booting';

interface Stamp {
  readonly at: Date;
  readonly by: string;
}

export class Device extends EventEmitter {
  readonly name: string;
  readonly platform: Platform;
  readonly hardware: Hardware;
  /** The secrets only this device's configuration holds (its own stream: the other draws stay as they were). */
  readonly ownSecrets: OwnSecrets;
  readonly files: FileStore = new Map();
  readonly log: CommandLogEntry[] = [];
  readonly bootMs: number;
  readonly tftpVrf: string;
  readonly tftpPort: number;
  readonly bindSourceAddresses: boolean;
  faults: DeviceFaults;
  /** Why the last TFTP transfer failed, in words, for the lab's diagnostics. */
  lastTftpFailure: string | undefined;
  #running: ConfigTree;
  #startup: string | undefined;
  #phase: Phase = 'up';
  #bootedAt = Date.now();
  #lastChange: Stamp | undefined;
  #lastSaved: Stamp | undefined;
  #clockPeriod: number;

  constructor(init: DeviceInit) {
    super();
    this.setMaxListeners(0);
    this.name = init.name;
    this.platform = init.platform;
    this.bootMs = init.bootMs ?? 3000;
    this.tftpVrf = init.tftpVrf ?? 'management';
    this.tftpPort = init.tftpPort ?? 69;
    this.bindSourceAddresses = init.bindSourceAddresses ?? false;
    this.faults = init.faults ?? {};
    const random = seeded(seedOf(`${init.name}/${init.seed}`));
    this.hardware = hardwareFor(init.platform, random);
    const policy = seeded(seedOf(`${init.platform} policy/${init.seed}`));
    this.ownSecrets = ownSecrets(init.platform, seeded(seedOf(`${init.name}/${init.seed}/own secrets`)));
    this.#running = generateConfig({ ...init, hostname: init.name, random, policy, own: this.ownSecrets });
    this.#clockPeriod = 17_179_000 + random.int(0, 9999);
    this.#lastSaved = { at: new Date(), by: init.username };
    this.#startup = this.body();
  }

  get phase(): Phase {
    return this.#phase;
  }

  get hostname(): string {
    return hostnameOf(this.#running) ?? defaultHostname[this.platform];
  }

  get running(): ConfigTree {
    return this.#running;
  }

  get startup(): string | undefined {
    return this.#startup;
  }

  get uptimeMs(): number {
    return Date.now() - this.#bootedAt;
  }

  get flash(): string {
    return flashName[this.platform];
  }

  /** SSH and telnet let users in only once the device has local users (after setup, a console login). */
  get remoteAccess(): boolean {
    return this.#phase === 'up' && hasUsers(this.#running);
  }

  renderContext(): RenderContext {
    return {
      platform: this.platform,
      version: this.hardware.version.version,
      ...(this.#lastChange ? { lastChange: this.#lastChange } : {}),
      ...(this.#lastSaved ? { lastSaved: this.#lastSaved } : {}),
      ...(this.platform === 'ios' ? { clockPeriod: this.#clockPeriod } : {}),
    };
  }

  /** The configuration body: what NVRAM stores and a TFTP upload carries. */
  body(): string {
    return this.platform === 'ios'
      ? iosBody(this.#running, this.renderContext())
      : nxosBody(this.#running, this.renderContext());
  }

  /** Running and startup differ (ignoring the NVRAM stamp comment), so reload asks to save. */
  get modified(): boolean {
    const strip = (text: string | undefined) => (text ?? '').replace(/^! (NVRAM|Last|No) config.*\n/gm, '');
    return strip(this.body()) !== strip(this.#startup);
  }

  configured(by: string): void {
    this.#lastChange = { at: new Date(), by };
  }

  /** Merges config text into running-config, as `copy X running-config` does. */
  merge(text: string, by: string): void {
    mergeText(this.#running, text);
    this.configured(by);
  }

  saveStartup(by: string): void {
    this.#lastSaved = { at: new Date(), by };
    this.#startup = this.body();
  }

  setStartup(text: string | undefined): void {
    this.#startup = text;
  }

  /** Keeps the command in the device's log and announces it (`command` event, for the lab's file). */
  record(via: string, user: string, line: string): void {
    const entry = { at: new Date().toISOString(), via, user, line };
    this.log.push(entry);
    this.emit('command', entry);
    if (this.log.length > 10_000) this.log.splice(0, this.log.length - 10_000);
  }

  /**
   * Reloads: sessions drop at once (`reload` event), the device stays down for `bootMs`, then
   * running-config is rebuilt from startup-config (empty when erased) and `booted` is emitted.
   */
  reload(by: string): void {
    if (this.#phase === 'booting') return;
    this.#phase = 'booting';
    this.emit('reload', by);
    setTimeout(() => {
      this.#running = this.#startup === undefined ? [] : parseText(this.#startup);
      this.#bootedAt = Date.now();
      this.#lastChange = undefined;
      this.#phase = 'up';
      this.emit('booted');
    }, this.bootMs).unref();
  }

  readFile(path: string): Buffer | undefined {
    return this.files.get(normalizeFilePath(path, this.flash));
  }

  writeFile(path: string, data: Buffer): void {
    this.files.set(normalizeFilePath(path, this.flash), data);
  }
}

/** `bootflash:///x`, `bootflash:x` and `bootflash:/x` name the same file. */
export function normalizeFilePath(path: string, defaultFs: string): string {
  const m = /^([a-z0-9]+:)?\/*(.*)$/i.exec(path);
  const fs = (m?.[1] ?? defaultFs).toLowerCase();
  return `${fs}${m?.[2] ?? path}`;
}
