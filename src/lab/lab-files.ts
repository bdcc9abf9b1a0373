/**
 * The lab folder: `state.json` (pid, ports, written once every device listens), `inventory.yaml`
 * (unless --inventory-out names another file), `lab.env` (the secrets the inventory refers to),
 * `lab.log` (the background process's output), `faults.json` (run-time faults, watched),
 * `commands.jsonl` (every command any device received: `{"device","at","via","user","line"}` per
 * line) and `keys/NAME.key` (persistent SSH host keys).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from './device/model.js';

export interface LabDeviceState {
  readonly name: string;
  readonly platform: Platform;
  readonly ports: {
    readonly ssh: number;
    readonly telnet: number;
    readonly console: number;
    readonly snmp?: number;
  };
}

export interface LabState {
  readonly pid: number;
  readonly startedAt: string;
  readonly mode: 'loopback';
  readonly addresses: readonly string[];
  readonly inventory: string;
  readonly devices: readonly LabDeviceState[];
}

export const labFiles = (dir: string) => ({
  state: path.join(dir, 'state.json'),
  inventory: path.join(dir, 'inventory.yaml'),
  env: path.join(dir, 'lab.env'),
  log: path.join(dir, 'lab.log'),
  faults: path.join(dir, 'faults.json'),
  commands: path.join(dir, 'commands.jsonl'),
});

export async function readLabState(dir: string): Promise<LabState | undefined> {
  try {
    return JSON.parse(await readFile(labFiles(dir).state, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

/** True while the process exists (signal 0 checks without touching it). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resident set size of a process in KiB, from /proc (Linux). */
export async function residentKiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
