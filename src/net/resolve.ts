/**
 * Name resolution the way the rest of netops wants it: every address of a name, split by family, in
 * canonical form (RFC 5952), with literals passed through untouched by DNS.
 */
import { lookup } from 'node:dns/promises';
import { NetopsError } from '../core/errors.js';
import type { Family } from './address.js';
import { normalizeAddress, parseAddress } from './address.js';

export interface ResolvedAddresses {
  readonly v4: string[];
  readonly v6: string[];
}

/** All addresses of `name` (or only those of `family`); an address literal is returned as itself. */
export async function resolveHost(name: string, family?: Family): Promise<ResolvedAddresses> {
  const literal = parseAddress(name);
  if (literal) {
    const text = normalizeAddress(name) as string;
    const matches = family === undefined || family === literal.family;
    return {
      v4: literal.family === 4 && matches ? [text] : [],
      v6: literal.family === 6 && matches ? [text] : [],
    };
  }
  let found: { address: string; family: number }[];
  try {
    found = await lookup(name, { all: true, family: family ?? 0 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new NetopsError(
      'NAME_UNRESOLVED',
      `cannot resolve "${name}"${family ? ` to IPv${family}` : ''} (${code})`,
      {
        hint: `Check the spelling of "${name}", the resolver (/etc/hosts, DNS), or use an address literal.`,
        transient: code === 'EAI_AGAIN',
        cause: error,
      },
    );
  }
  const unique = (list: string[]) => [...new Set(list)];
  const canonical = (f: number) =>
    unique(found.filter((a) => a.family === f).map((a) => normalizeAddress(a.address) ?? a.address));
  const result = { v4: canonical(4), v6: canonical(6) };
  if (result.v4.length + result.v6.length === 0) {
    throw new NetopsError('NAME_UNRESOLVED', `"${name}" has no IPv${family ?? '4/6'} address`, {
      hint: `Give "${name}" an address of that family in DNS or /etc/hosts, or use an address literal.`,
    });
  }
  return result;
}
