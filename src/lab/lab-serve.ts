/**
 * The lab's own process: starts every device, writes the inventory, `lab.env` and `state.json`, tells
 * its parent (IPC) that all listen, and runs until SIGTERM/SIGINT. Run-time faults are read from
 * `faults.json` whenever it changes (`{ "r1": { "latencyMs": 200 } }`).
 */
import { createWriteStream, watchFile, unwatchFile } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { CommandLogEntry, DeviceFaults } from './device/model.js';
import { labEnvironment, labInventory } from './lab-inventory.js';
import { labFiles, type LabState } from './lab-files.js';
import { labHosts, startLoopbackLab, type Lab } from './loopback-lab.js';
import type { LabSpecInput } from './spec.js';

export interface ServeOptions {
  readonly dir: string;
  readonly spec: LabSpecInput;
  /** @default DIR/inventory.yaml */
  readonly inventoryOut?: string;
}

async function applyFaults(lab: Lab, file: string): Promise<void> {
  let table: Record<string, DeviceFaults>;
  try {
    table = JSON.parse(await readFile(file, 'utf8')) as Record<string, DeviceFaults>;
  } catch {
    return;
  }
  // A device the file does not name goes back to the faults of the spec.
  for (const d of lab.devices) d.setFaults(table[d.name] ?? table['*'] ?? d.specFaults);
}

export async function serveLab(
  options: ServeOptions,
): Promise<{ lab: Lab; state: LabState; stop: () => Promise<void> }> {
  const files = labFiles(options.dir);
  const lab = await startLoopbackLab(options.spec, { dir: options.dir });
  const inventory = options.inventoryOut ?? files.inventory;
  await writeFileAtomic(inventory, labInventory(lab));
  const env = Object.entries(labEnvironment(lab)).map(([k, v]) => `export ${k}='${v}'\n`);
  await writeFileAtomic(files.env, env.join(''), { mode: 0o600 });
  const state: LabState = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    mode: 'loopback',
    addresses: [...labHosts],
    inventory,
    devices: lab.devices.map((d) => ({ name: d.name, platform: d.platform, ports: d.ports })),
  };
  await writeFileAtomic(files.state, `${JSON.stringify(state, null, 2)}\n`);
  watchFile(files.faults, { interval: 500 }, () => void applyFaults(lab, files.faults));
  await applyFaults(lab, files.faults);
  // Tests and workflows check here what reached the devices (a `--plan` run must add nothing).
  const commands = createWriteStream(files.commands, { flags: 'a' });
  for (const d of lab.devices) {
    d.device.on('command', (entry: CommandLogEntry) =>
      commands.write(`${JSON.stringify({ device: d.name, ...entry })}\n`),
    );
  }
  const stop = async () => {
    unwatchFile(files.faults);
    await new Promise((resolve) => commands.end(resolve));
    await lab.close();
    await rm(files.state, { force: true });
  };
  return { lab, state, stop };
}

/** Entry point of the background process: `node lab-serve.js '<ServeOptions as JSON>'`. */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServeOptions;
  const { state, stop } = await serveLab(options);
  const shutdown = () => void stop().finally(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  process.send?.({ ready: true, devices: state.devices.length });
  process.disconnect?.();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.send?.({ ready: false, error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
}
