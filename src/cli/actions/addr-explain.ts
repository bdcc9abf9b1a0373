/** What `netops addr explain ADDR` prints: what an address is, in the words an engineer needs at 3 a.m. */
import { explainAddress, type AddressExplanation } from '../../net/explain.js';

export function printExplanation(address: string, flags: { json?: boolean }): void {
  const explanation = explainAddress(address);
  const text = flags.json ? JSON.stringify(explanation, null, 2) : formatExplanation(explanation).join('\n');
  process.stdout.write(`${text}\n`);
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
