/** `netops addr explain ADDR`: what an address is, in the words an engineer needs at 3 a.m. */
import type { Command } from 'commander';
import { explainAddress, type AddressExplanation } from '../../net/explain.js';

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
    .action((address: string, flags: { json?: boolean }) => {
      const explanation = explainAddress(address);
      const text = flags.json
        ? JSON.stringify(explanation, null, 2)
        : formatExplanation(explanation).join('\n');
      process.stdout.write(`${text}\n`);
    });
}

export function formatExplanation(e: AddressExplanation): string[] {
  const lines: Array<[string, string]> = [
    ['address', e.input],
    ['family', `IPv${e.family}`],
    ['canonical', e.family === 6 ? `${e.canonical}  (RFC 5952)` : e.canonical],
    ['scope', e.scope],
  ];
  if (e.zone !== undefined) lines.push(['zone', e.zone]);
  for (const embedded of e.embedded)
    lines.push(['embeds', `IPv4 ${embedded.ipv4} (${embedded.form}): ${embedded.meaning}`]);
  if (e.multicast) {
    lines.push(['multicast', `scope ${e.multicast.scope}, Ethernet MAC ${e.multicast.mac}`]);
    if (e.multicast.sharedWith) {
      lines.push([
        'same MAC',
        `${e.multicast.sharedWith.length} groups: ${e.multicast.sharedWith.join(' ')}`,
      ]);
    }
    if (e.multicast.warning) lines.push(['warning', e.multicast.warning]);
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  return lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
}
