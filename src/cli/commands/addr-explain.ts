/** `netops addr explain ADDR`: its flags and help; the explanation is in actions/addr-explain.ts. */
import type { Command } from 'commander';

export function register(program: Command): void {
  const addr = program.command('addr').description('address helpers');
  addr
    .command('explain')
    .description('family, RFC 5952 form, scope, embedded IPv4 and multicast MAC of an address')
    .argument('<address>', 'an IPv4 or IPv6 address (zone allowed: fe80::1%eth0)')
    .option('--json', 'print the explanation as JSON')
    .addHelpText(
      'after',
      `\nExamples:\n  netops addr explain afe:fe01::        an IPv4 loopback read as IPv6\n  netops addr explain 225.0.0.1         multicast MAC and the groups sharing it`,
    )
    .action(async (address: string, flags: { json?: boolean }) =>
      (await import('../actions/addr-explain.js')).printExplanation(address, flags),
    );
}
