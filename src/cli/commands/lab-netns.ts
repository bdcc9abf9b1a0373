/**
 * `netops lab exec` and `netops lab doctor`, the netns lab's own commands (root only): their flags and
 * help; what they do is in actions/lab-netns.ts. `register(lab)` adds them to the `lab` command.
 */
import type { Command } from 'commander';

export function register(lab: Command): void {
  lab
    .command('exec')
    .description('run a command in the netns lab management namespace (where netops reaches the devices)')
    .option('--dir <dir>', 'lab folder', 'lab')
    .argument('<command...>', 'the command and its arguments, after --')
    .addHelpText(
      'after',
      '\nExample:\n  netops lab exec -- netops run jobs/backup.yaml --inventory lab/netns-inventory.yaml',
    )
    .action(async (argv: string[], flags: { dir: string }) =>
      (await import('../actions/lab-netns.js')).labExec(flags.dir, argv),
    );

  lab
    .command('doctor')
    .description('check what the netns lab needs (root, iproute2, tc netem, frr, snmpd, sshd, telnetd)')
    .action(async () => (await import('../actions/lab-netns.js')).labDoctorAction());
}
