/**
 * Why did an upload come from an address we did not expect? Pure functions over the source address,
 * the expectation and the inventory's host addresses, so each explanation is unit-testable without
 * binding addresses a test host cannot have (like `afe:fe01::`).
 */
import { parseAddress } from '../net/address.js';
import { embeddedIPv4, unmapAddress } from '../net/embedded.js';

export interface KnownHost {
  readonly name: string;
  readonly addresses: readonly string[];
}

export interface SourceDiagnosis {
  /** The inventory host the source belongs to, when it can be told. */
  readonly host?: string;
  /** One sentence: what the source address is. */
  readonly summary: string;
  /** What to do about it. */
  readonly hint: string;
  /** True when the source is tied to the expected host: its upload is failing now, not still to come. */
  readonly fromExpectedHost: boolean;
}

export interface UploadExpectation {
  readonly filename: string;
  readonly from: readonly string[];
  readonly host?: string | undefined;
}

function hostOf(address: string, hosts: readonly KnownHost[]): string | undefined {
  const key = unmapAddress(address);
  return hosts.find((h) => h.addresses.some((a) => unmapAddress(a) === key))?.name;
}

function isLinkLocal(address: string): boolean {
  const parsed = parseAddress(address);
  return parsed?.family === 6 && parsed.bytes[0] === 0xfe && ((parsed.bytes[1] ?? 0) & 0xc0) === 0x80;
}

/**
 * The fix that worked in the seed (device-reference.md §2.4): the loopback had an IPv6 address all
 * along, so giving it one does not help; removing the command makes the egress interface the source.
 */
const fixSourceInterface = (host: string) =>
  `On ${host}: \`no ip tftp source-interface Loopback0\` (the interface it names); the upload then leaves ` +
  `from the egress interface, for IPv6 and IPv4. Giving that interface an IPv6 address does not help. ` +
  `Or back ${host} up over IPv4.`;

export function diagnoseSource(
  source: string,
  expected: UploadExpectation,
  knownHosts: readonly KnownHost[],
): SourceDiagnosis {
  const wanted = expected.host ?? 'the expected host';
  const expectedList = expected.from.join(', ');
  // Addresses of the expected host count even when the inventory has no entry for it.
  const hosts: KnownHost[] = [
    ...(expected.host ? [{ name: expected.host, addresses: expected.from }] : []),
    ...knownHosts,
  ];
  const parsed = parseAddress(source);
  if (parsed?.family === 6) {
    for (const embedded of embeddedIPv4(parsed.bytes)) {
      if (embedded.form === 'ipv4-mapped') continue;
      const owner = hostOf(embedded.ipv4, hosts);
      const who = owner ?? 'a device';
      const fromExpectedHost = owner !== undefined && owner === expected.host;
      if (embedded.form === 'ipv4-in-top-32-bits') {
        return {
          ...(owner ? { host: owner } : {}),
          fromExpectedHost,
          summary:
            `${source} is ${owner ? `${owner}'s ` : ''}IPv4 address ${embedded.ipv4} read as the top 32 bits of an ` +
            `IPv6 address: ${who} sent an IPv6 TFTP upload from the IPv4 address of its \`ip tftp source-interface\` ` +
            `(IOS applies this IPv4 command to IPv6 too, even when the interface has an IPv6 address), ` +
            `so the server's replies go to an address that does not exist`,
          hint: fixSourceInterface(owner ?? wanted),
        };
      }
      return {
        ...(owner ? { host: owner } : {}),
        fromExpectedHost,
        summary: `${source} embeds ${owner ? `${owner}'s ` : ''}IPv4 address ${embedded.ipv4}: ${embedded.meaning}`,
        hint: `The upload was translated on its way (${embedded.form}); reach the server without translation, or add ${source} to ${owner ?? wanted}'s addresses.`,
      };
    }
  }
  const owner = hostOf(source, knownHosts);
  if (owner !== undefined && owner === expected.host) {
    return {
      host: owner,
      fromExpectedHost: true,
      summary: `${source} is another address of ${owner}; the job expects its upload from ${expectedList}`,
      hint: `Point \`ip tftp source-interface\` on ${owner} at the interface holding ${expectedList}, or list ${source} among ${owner}'s addresses.`,
    };
  }
  if (owner !== undefined) {
    return {
      host: owner,
      fromExpectedHost: false,
      summary: `${source} belongs to ${owner}, not ${wanted}`,
      hint: `Check ${owner}'s backup settings: it uploaded a file named ${expected.filename}.`,
    };
  }
  if (isLinkLocal(source)) {
    return {
      fromExpectedHost: false,
      summary: `${source} is a link-local address: a device on the same segment sent from its link-local address`,
      hint: `Set the device's TFTP source interface to one with a global address (${expectedList}), or add ${source} to ${wanted}'s addresses.`,
    };
  }
  return {
    fromExpectedHost: false,
    summary: `${source} is not an address of any inventory host`,
    hint: `If this is ${wanted}, add ${source} to its addresses; otherwise look for a NAT or a source-interface setting between ${wanted} and the server.`,
  };
}
