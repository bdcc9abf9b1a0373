/**
 * `netops lab exec` and `netops lab doctor`, the netns and container labs' own commands (root only):
 * their flags and help; what they do is in actions/lab-container.ts (a container lab) and
 * actions/lab-netns.ts. `register(lab)` adds them to the `lab` command.
 */
import type { Command } from 'commander';

export function register(lab: Command): void {
  lab
    .command('exec')
    .description(
      'netns lab: run a command in its management namespace; container lab: in device DEVICE (first word)',
    )
    .option('--dir <dir>', 'lab folder', 'lab')
    .argument('<command...>', 'the command and its arguments, after -- (container lab: DEVICE -- CMD)')
    .addHelpText(
      'after',
      '\nExamples:\n  netops lab exec -- netops run jobs/backup.yaml --inventory lab/netns-inventory.yaml\n  netops lab exec --dir lab f1 -- vtysh -c "show bgp summary"',
    )
    .action(async (argv: string[], flags: { dir: string }) =>
      (await import('../actions/lab-container.js')).labExecAction(flags.dir, argv),
    );

  lab
    .command('doctor')
    .description(
      'check what the lab needs: netns (root, iproute2, tc netem, frr, snmpd, sshd, telnetd) or container (podman, runc, cgroups, rlimits, images)',
    )
    .option('--mode <mode>', 'netns or container', 'netns')
    .action(async (flags: { mode: string }) =>
      (await import('../actions/lab-container.js')).labDoctorAction(flags.mode),
    );
}
