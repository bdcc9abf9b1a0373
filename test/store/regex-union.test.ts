/**
 * The one-test union of a rule list answers exactly what testing each pattern in turn answers,
 * including lists a plain union would get wrong (mixed flags, back-references, named groups).
 */
import { describe, expect, it } from 'vitest';
import { matchesAny } from '../../src/store/regex-union.js';

const lines = [
  'snmp-server community public RO',
  ' password 7 0822455D0A16',
  'SNMP-SERVER COMMUNITY x',
  'abab',
  'abba',
  'key key',
  '',
  'interface Gi0/1',
];

const lists: Record<string, RegExp[]> = {
  'one flag set': [/^snmp-server community (\S+)/, /^\s+password (?:\d )?(\S+)/],
  'mixed flags': [/^snmp-server community/i, /^\s+password/],
  'a back-reference': [/^(ab)\1$/, /^interface /],
  'a named group': [/^(?<word>key) \k<word>$/, /community/],
  'lookbehind, not a named group': [/(?<=snmp-)server/, /(?<!x)abba/],
  'global flag': [/password/g, /interface/g],
};

describe('matchesAny', () => {
  it.each(Object.entries(lists))('%s: same answer as testing each pattern', (_name, patterns) => {
    const test = matchesAny(patterns);
    for (const line of lines) {
      const each = patterns.some((pattern) =>
        new RegExp(pattern.source, pattern.flags.replace('g', '')).test(line),
      );
      expect(test(line), line).toBe(each);
    }
  });

  it('matches nothing for an empty list, and reads rules by their match', () => {
    expect(matchesAny([])('anything')).toBe(false);
    const rules = [{ match: /^username / }, { match: /^enable secret / }];
    expect(matchesAny(rules)('enable secret 5 $1$x')).toBe(true);
    expect(matchesAny(rules)('hostname r1')).toBe(false);
  });

  it('builds the test once per list', () => {
    const list = [/a/, /b/];
    expect(matchesAny(list)).toBe(matchesAny(list));
  });
});
