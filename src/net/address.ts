/**
 * IP address parsing and formatting. IPv6 is accepted in every RFC 4291 text form (compressed,
 * leading zeros, embedded dotted IPv4, zone suffix) and always shown in the RFC 5952 canonical form,
 * so that an address is written one way in inventories, logs, run records and reports.
 */

export type Family = 4 | 6;

export interface IpAddress {
  readonly family: Family;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
  /** IPv6 zone (interface) for link-local addresses, as in `fe80::1%eth0`. */
  readonly zone?: string;
}

/** Four decimal parts of 0-255 without leading zeros, in one regex: it runs for every host of an inventory. */
const ipv4Part = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4 = new RegExp(`^${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}$`);

export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = ipv4.exec(text);
  if (!parts) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) bytes[i] = Number(parts[i + 1]);
  return bytes;
}

export function parseIPv6(text: string): { bytes: Uint8Array; zone?: string } | undefined {
  let body = text;
  let zone: string | undefined;
  const percent = body.indexOf('%');
  if (percent >= 0) {
    zone = body.slice(percent + 1);
    body = body.slice(0, percent);
    if (!/^[\w.-]+$/.test(zone)) return undefined;
  }
  // A trailing dotted IPv4 (`::ffff:192.0.2.1`) stands for the last two 16-bit words.
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(body.slice(lastColon + 1));
    if (!v4 || lastColon < 0) return undefined;
    const word = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    body = `${body.slice(0, lastColon + 1)}${word(v4[0]!, v4[1]!)}:${word(v4[2]!, v4[3]!)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parseWords = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const w of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
      out.push(parseInt(w, 16));
    }
    return out;
  };
  const head = parseWords(halves[0] ?? '');
  const rest = halves.length === 2 ? parseWords(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const words = [...head, ...new Array<number>(8 - given).fill(0), ...rest];
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[i * 2] = w >> 8;
    bytes[i * 2 + 1] = w & 0xff;
  });
  return zone === undefined ? { bytes } : { bytes, zone };
}

/** Parses an IPv4 or IPv6 literal (IPv6 may be bracketed); undefined when it is neither. */
export function parseAddress(text: string): IpAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4) return { family: 4, bytes: v4 };
  const unbracketed = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v6 = parseIPv6(unbracketed);
  if (!v6) return undefined;
  return v6.zone === undefined ? { family: 6, bytes: v6.bytes } : { family: 6, ...v6 };
}

export function formatIPv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** RFC 5952: lower case, no leading zeros, the longest run (>= 2) of zero words compressed, leftmost on ties. */
export function formatIPv6(bytes: Uint8Array, zone?: string): string {
  const words = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  const text =
    bestStart < 0
      ? hex(words)
      : `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLength))}`;
  return zone === undefined ? text : `${text}%${zone}`;
}

export function formatAddress(address: IpAddress): string {
  return address.family === 4 ? formatIPv4(address.bytes) : formatIPv6(address.bytes, address.zone);
}

/**
 * The family of an address literal (IPv6 may be bracketed), or undefined when `text` is not one:
 * parseAddress without building the bytes, for checks of every host of an inventory.
 */
export function addressFamily(text: string): Family | undefined {
  if (ipv4.test(text)) return 4;
  return parseAddress(text)?.family;
}

/** The canonical text of an address literal, or undefined when `text` is not one. */
export function normalizeAddress(text: string): string | undefined {
  // A dotted quad the IPv4 pattern accepts (no leading zeros) is already written canonically.
  if (ipv4.test(text)) return text;
  const parsed = parseAddress(text);
  return parsed && formatAddress(parsed);
}

/** `host:port` with IPv6 literals bracketed, as in URLs and logs. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** RFC 1123 host name (labels of letters, digits and hyphens), as accepted in inventories. */
export function isHostName(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const labels = text.replace(/\.$/, '').split('.');
  // An all-numeric dotted name is a mistyped IPv4 address, not a host name.
  if (labels.every((l) => /^\d+$/.test(l))) return false;
  return labels.every((l) => /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(l));
}
