/**
 * Starts simulator processes in namespaces: one per simulated device (ports 22/23/161 on its own
 * addresses, console on a unix socket), one for the scale namespace's thousands of devices, and the
 * terminal server's console relay. They run `node` on the compiled entry points next to this file
 * (dist/lab/netns/), or wherever `runtime.entries` says (tests run the TypeScript sources compiled).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleRelayLine } from './console-relay-main.js';
import { startInNamespace } from './processes.js';
import { printedReady, type ReadyCheck } from './readiness.js';
import type { SimDeviceConfig } from './sim-device.js';
import type { RecordedProcess, StateWriter } from './state.js';

export interface LabRuntime {
  /** @default process.execPath */
  readonly node?: string;
  /** Folder holding device-main.js and console-relay-main.js. @default this module's folder */
  readonly entries?: string;
}

const entry = (runtime: LabRuntime, name: string) =>
  path.join(runtime.entries ?? path.dirname(fileURLToPath(import.meta.url)), `${name}.js`);

export interface NodeLaunch {
  readonly name: string;
  readonly namespace: string;
  readonly dir: string;
  readonly entry: 'device-main' | 'console-relay-main';
  readonly config: unknown;
  /** Open files the process may hold (the scale namespace needs tens of thousands of sockets). */
  readonly maxFiles?: number;
}

export async function launchNode(
  launch: NodeLaunch,
  runtime: LabRuntime,
  state: StateWriter,
): Promise<ReadyCheck> {
  const base = launch.entry === 'device-main' ? 'device' : 'console';
  const configFile = path.join(launch.dir, `${base}.json`);
  await writeFile(configFile, JSON.stringify(launch.config), { mode: 0o600 });
  const node = [runtime.node ?? process.execPath, entry(runtime, launch.entry), configFile];
  const argv = launch.maxFiles
    ? ['prlimit', `--nofile=${launch.maxFiles}:${launch.maxFiles}`, '--', ...node]
    : node;
  const log = path.join(launch.dir, `${base}.log`);
  await writeFile(log, '', { mode: 0o600 });
  const p: RecordedProcess = await startInNamespace({
    name: launch.name,
    namespace: launch.namespace,
    argv,
    log,
  });
  await state.update((s) => void s.processes.push(p));
  return { what: launch.name, processes: [p], ready: printedReady(log) };
}

export type { SimDeviceConfig, ConsoleRelayLine };
