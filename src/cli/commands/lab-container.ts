/**
 * `netops lab images build`, the container lab's own command (root, podman): its flags and help; what
 * it does is in actions/lab-container.ts. `register(lab)` adds it to the `lab` command.
 */
import type { Command } from 'commander';

export function register(lab: Command): void {
  const images = lab
    .command('images')
    .description('the container lab images: netops-lab/base, sim, frr and tftpd (podman, root)');
  images
    .command('build')
    .description('build the images missing for the current inputs (cached by a hash of them; logs kept)')
    .option('--json', 'print what was built or found as JSON')
    .addHelpText(
      'after',
      '\nImages and logs: podman images netops-lab/*; $NETOPS_CACHE/lab-images/logs (default /var/cache/netops).',
    )
    .action(async (flags: { json?: boolean }) =>
      (await import('../actions/lab-container.js')).labImagesBuildAction(flags),
    );
}
