/**
 * `netops lab up|status|down`: simulated IOS/NX-OS devices on loopback for trying netops out and for
 * tests. Their flags and help; what they do is in actions/lab.ts, loaded when one runs.
 */
import type { Command } from 'commander';
import type { LabUpFlags } from '../actions/lab.js';
import { register as registerContainer } from './lab-container.js';
import { register as registerExport } from './lab-export.js';
import { register as registerImpair } from './lab-impair.js';
import { register as registerNetns } from './lab-netns.js';

export function register(program: Command): void {
  const lab = program
    .command('lab')
    .description(
      'simulated IOS and NX-OS devices: on 127.0.0.1 and ::1, one per network namespace or one per container (root)',
    );
  registerNetns(lab); // lab exec, lab doctor
  registerContainer(lab); // lab images build
  registerExport(lab); // lab export --containerlab
  registerImpair(lab); // lab impair

  lab
    .command('up')
    .description('start the devices in one background process and write an inventory for them')
    .option(
      '--mode <mode>',
      'loopback (unprivileged, 127.0.0.1 and ::1), netns (root, --spec) or container (root, podman)',
      'loopback',
    )
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
    .action(async (flags: LabUpFlags) => (await import('../actions/lab.js')).labUpAction(flags));

  lab
    .command('status')
    .description('show whether the lab runs, its devices and its memory')
    .option('--dir <dir>', 'lab folder', 'lab')
    .option('--json', 'print the state as JSON')
    .action(async (flags: { dir: string; json?: boolean }) =>
      (await import('../actions/lab.js')).labStatusAction(flags),
    );

  lab
    .command('down')
    .description('stop the lab recorded in the lab folder (process, namespaces or containers and network)')
    .option('--dir <dir>', 'lab folder', 'lab')
    .action(async (flags: { dir: string }) => (await import('../actions/lab.js')).labDownAction(flags));
}
