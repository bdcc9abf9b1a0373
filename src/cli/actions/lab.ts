/**
 * What `netops lab up|status|down` do: the loopback lab, or the netns or container lab when the mode
 * or the folder says so.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { NetopsError } from '../../core/errors.js';
import { labDown, labStatus, labUp } from '../../lab/lab-process.js';
import { serveLab } from '../../lab/lab-serve.js';
import type { LabSpecInput } from '../../lab/spec.js';
import { containerDown, containerStatus, containerUp } from './lab-container.js';
import { netnsDown, netnsStatus, netnsUp } from './lab-netns.js';

export interface LabUpFlags {
  mode: string;
  devices?: string;
  platforms?: string;
  spec?: string;
  dir: string;
  inventoryOut?: string;
  tftpPort?: string;
  foreground?: boolean;
}

const out = (text: string) => process.stdout.write(`${text}\n`);

async function specFrom(flags: LabUpFlags): Promise<LabSpecInput> {
  if (flags.mode !== 'loopback') {
    throw new NetopsError('LAB_FAILED', `lab mode '${flags.mode}' is not available here`, {
      hint: 'Use --mode loopback, netns or container.',
    });
  }
  const base = flags.spec ? ((parse(await readFile(flags.spec, 'utf8')) ?? {}) as LabSpecInput) : {};
  const platforms = flags.platforms?.split(',').map((p) => p.trim()) as LabSpecInput['platforms'];
  return {
    ...base,
    ...(flags.devices ? { devices: Number(flags.devices) } : {}),
    ...(platforms ? { platforms } : {}),
    ...(flags.tftpPort ? { tftpPort: Number(flags.tftpPort) } : {}),
  };
}

export async function labUpAction(flags: LabUpFlags): Promise<void> {
  const specFlag = flags.spec ? { spec: flags.spec } : {};
  if (flags.mode === 'netns') return netnsUp({ dir: flags.dir, ...specFlag });
  if (flags.mode === 'container') return containerUp({ dir: flags.dir, ...specFlag });
  const spec = await specFrom(flags);
  const options = {
    dir: flags.dir,
    spec,
    ...(flags.inventoryOut ? { inventoryOut: flags.inventoryOut } : {}),
  };
  if (flags.foreground) {
    const { state, stop } = await serveLab(options);
    out(`${state.devices.length} devices listening; inventory ${state.inventory}; Ctrl-C stops`);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
    await stop();
    return;
  }
  const state = await labUp(options);
  out(`lab up: ${state.devices.length} devices (pid ${state.pid}) on ${state.addresses.join(' and ')}`);
  out(`inventory: ${state.inventory}; secrets: . ${flags.dir}/lab.env`);
}

export async function labStatusAction(flags: { dir: string; json?: boolean }): Promise<void> {
  if (await containerStatus(flags.dir, flags.json)) return;
  if (await netnsStatus(flags.dir, flags.json)) return;
  const status = await labStatus(flags.dir);
  if (flags.json) {
    out(JSON.stringify(status, null, 2));
    return;
  }
  if (!status.state || !status.alive) {
    out(`no lab running in ${flags.dir}`);
    return;
  }
  const { state } = status;
  out(
    `lab running: pid ${state.pid}, ${state.devices.length} devices since ${state.startedAt}, RSS ${Math.round((status.rssKiB ?? 0) / 1024)} MiB`,
  );
  out('device  platform  ssh    telnet  console  snmp');
  for (const d of state.devices.slice(0, 50)) {
    out(
      `${d.name.padEnd(7)} ${d.platform.padEnd(9)} ${String(d.ports.ssh).padEnd(6)} ${String(d.ports.telnet).padEnd(7)} ${String(d.ports.console).padEnd(8)} ${d.ports.snmp ?? '-'}`,
    );
  }
  if (state.devices.length > 50)
    out(`... and ${state.devices.length - 50} more (see ${flags.dir}/state.json)`);
}

export async function labDownAction(flags: { dir: string }): Promise<void> {
  if (await containerDown(flags.dir)) return;
  if (await netnsDown(flags.dir)) return;
  out((await labDown(flags.dir)) ? 'lab stopped' : `no lab running in ${flags.dir}`);
}
