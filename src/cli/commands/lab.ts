/** `netops lab up|status|down`: simulated IOS/NX-OS devices on loopback for trying netops out and for tests. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { NetopsError } from '../../core/errors.js';
import { labDown, labStatus, labUp } from '../../lab/lab-process.js';
import { serveLab } from '../../lab/lab-serve.js';
import type { LabSpecInput } from '../../lab/spec.js';
import { register as registerNetns, netnsDown, netnsStatus, netnsUp } from './lab-netns.js';

interface UpFlags {
  mode: string;
  devices?: string;
  platforms?: string;
  spec?: string;
  dir: string;
  inventoryOut?: string;
  tftpPort?: string;
  foreground?: boolean;
}

async function specFrom(flags: UpFlags): Promise<LabSpecInput> {
  if (flags.mode !== 'loopback') {
    throw new NetopsError('LAB_FAILED', `lab mode '${flags.mode}' is not available here`, {
      hint: 'Use --mode loopback.',
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

export function register(program: Command): void {
  const lab = program
    .command('lab')
    .description(
      'simulated IOS and NX-OS devices: on 127.0.0.1 and ::1, or one per network namespace (root)',
    );
  const out = (text: string) => process.stdout.write(`${text}\n`);
  registerNetns(lab); // lab exec, lab doctor

  lab
    .command('up')
    .description('start the devices in one background process and write an inventory for them')
    .option('--mode <mode>', 'loopback (unprivileged, 127.0.0.1 and ::1) or netns (root, --spec)', 'loopback')
    .option('--devices <n>', 'number of devices (default 2)')
    .option('--platforms <list>', 'ios,nxos (assigned round-robin)')
    .option('--spec <file>', 'lab spec YAML (see docs/lab.md); flags override it')
    .option('--dir <dir>', 'lab folder: state, keys, log, inventory', 'lab')
    .option('--inventory-out <file>', 'where to write the inventory (default DIR/inventory.yaml)')
    .option('--tftp-port <port>', 'port devices send TFTP to when a URL names none (default 69)')
    .option('--foreground', 'run in this process until Ctrl-C (for debugging)')
    .addHelpText(
      'after',
      '\nExample:\n  netops lab up --devices 20 --platforms ios,nxos --dir lab/ && . lab/lab.env',
    )
    .action(async (flags: UpFlags) => {
      if (flags.mode === 'netns')
        return netnsUp({ dir: flags.dir, ...(flags.spec ? { spec: flags.spec } : {}) });
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
    });

  lab
    .command('status')
    .description('show whether the lab runs, its devices and its memory')
    .option('--dir <dir>', 'lab folder', 'lab')
    .option('--json', 'print the state as JSON')
    .action(async (flags: { dir: string; json?: boolean }) => {
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
    });

  lab
    .command('down')
    .description('stop the lab process recorded in the lab folder')
    .option('--dir <dir>', 'lab folder', 'lab')
    .action(async (flags: { dir: string }) => {
      if (await netnsDown(flags.dir)) return;
      out((await labDown(flags.dir)) ? 'lab stopped' : `no lab running in ${flags.dir}`);
    });
}
