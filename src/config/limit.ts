/**
 * `--limit` patterns: host names, globs (`core-*`), `group:NAME`, `platform:NAME`, comma lists, and
 * `!` exclusions. Included hosts are the union of the positive patterns (all hosts when there are
 * none), minus every excluded one.
 */
import type { Host } from './model.js';
import { NetopsError } from '../core/errors.js';

/** What a pattern can match: inventory hosts, or hosts as the run history remembers them. */
export type Selectable = Pick<Host, 'name' | 'groups' | 'platform'>;

export interface Selection<H extends Selectable = Host> {
  readonly hosts: H[];
  /** Patterns that matched nothing: usually a typo worth showing. */
  readonly unmatched: string[];
}

export function selectHosts<H extends Selectable>(
  hosts: Iterable<H>,
  limit: string | readonly string[] | undefined,
): Selection<H> {
  const all = [...hosts];
  const patterns = (typeof limit === 'string' ? [limit] : (limit ?? []))
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const unmatched = [...include, ...exclude].filter((p) => !all.some((h) => matches(h, p)));
  const selected = all.filter(
    (h) =>
      (include.length === 0 || include.some((p) => matches(h, p))) && !exclude.some((p) => matches(h, p)),
  );
  if (selected.length === 0) {
    throw new NetopsError('LIMIT_EMPTY', `the limit "${patterns.join(',')}" selects no host`, {
      hint: `Patterns: NAME, glob (r*), group:NAME, platform:NAME, !EXCLUDED. ${
        unmatched.length ? `These matched nothing: ${unmatched.join(', ')}. ` : ''
      }See \`netops inventory list\`.`,
    });
  }
  return { hosts: selected, unmatched };
}

function matches(host: Selectable, pattern: string): boolean {
  const [kind, value] = pattern.includes(':') ? splitOnce(pattern) : ['name', pattern];
  switch (kind) {
    case 'group':
      return host.groups.some((g) => glob(value).test(g));
    case 'platform':
      return host.platform !== undefined && glob(value).test(host.platform);
    default:
      return glob(pattern).test(host.name);
  }
}

function splitOnce(pattern: string): [string, string] {
  const i = pattern.indexOf(':');
  return [pattern.slice(0, i), pattern.slice(i + 1)];
}

function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
