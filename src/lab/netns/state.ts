/**
 * The netns lab's state file: everything `up` created, written down *before* it is created
 * (namespaces) or right after (process IDs), atomically, so that `down` can
 * remove exactly that after any crash, by recorded name and PID and never by pattern.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError } from '../../core/errors.js';
import type { DualStack } from './addressing.js';
import type { AppliedImpairment } from '../impair/impair.js';
import type { RecordedProcess } from './processes.js';
import type { NetnsSpec } from './spec.js';

export type { RecordedProcess } from './processes.js';

export interface LabDeviceRecord {
  readonly name: string;
  readonly platform: 'ios' | 'nxos' | 'frr';
  readonly namespace: string;
  readonly addresses: DualStack;
  readonly loopback: DualStack;
  /** TCP port of this device's console on the terminal server. */
  readonly consolePort?: number;
  /** Services and their ports, for status and inventories. */
  readonly services: Readonly<Record<string, number>>;
}

export interface NetnsState {
  readonly version: 1;
  readonly id: string;
  /** Every namespace name starts with it: `nolab-<id>`. */
  readonly prefix: string;
  readonly dir: string;
  readonly spec: NetnsSpec;
  readonly createdAt: string;
  readonly management: string;
  namespaces: string[];
  processes: RecordedProcess[];
  devices: LabDeviceRecord[];
  /** Set once every device answered; a crash before it leaves `up: false`. */
  up: boolean;
  /** Impaired devices by name (their relay is also in `processes`); from the spec or `lab impair`. */
  impairments?: Record<string, AppliedImpairment>;
}

export const stateFile = (dir: string): string => path.join(dir, 'netns-state.json');

export async function readState(dir: string): Promise<NetnsState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(dir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as NetnsState;
    if (state.version !== 1 || !/^nolab-[a-z0-9]+$/.test(state.prefix))
      throw new Error('unknown version or prefix');
    return state;
  } catch (error) {
    throw new NetopsError(
      'LAB_FAILED',
      `${stateFile(dir)} is not a netns lab state file: ${(error as Error).message}`,
      {
        hint: 'Remove it only after checking `ip netns list` for namespaces named nolab-*; `down` relies on it.',
        cause: error,
      },
    );
  }
}

/** One writer (the `up` or `down` in progress): every change is persisted before it takes effect. */
export class StateWriter {
  readonly state: NetnsState;
  #chain: Promise<void> = Promise.resolve();

  constructor(state: NetnsState) {
    this.state = state;
  }

  /** Applies `change` and persists the result; writes are serialized in call order. */
  update(change: (state: NetnsState) => void): Promise<void> {
    change(this.state);
    const text = `${JSON.stringify(this.state, null, 2)}\n`;
    this.#chain = this.#chain.then(() => writeFileAtomic(stateFile(this.state.dir), text, { mode: 0o600 }));
    return this.#chain;
  }
}

export async function removeState(dir: string): Promise<void> {
  await rm(stateFile(dir), { force: true });
}
