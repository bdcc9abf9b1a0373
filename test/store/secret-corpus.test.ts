/**
 * The sanitizer against the corpus of secret-bearing line shapes from vendor documentation
 * (fixtures/secret-corpus.yaml): each line is masked exactly as listed, no secret value survives,
 * look-alike lines stay byte-identical, and every shape and keyword of every platform is used.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MASK, type ConfigRules } from '../../src/store/rules.js';
import { frrRules } from '../../src/platforms/frr/config-rules.js';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { nxosRules } from '../../src/platforms/nxos/config-rules.js';
import { maskSecrets } from '../../src/store/sanitize.js';

interface Group {
  readonly platform: 'ios' | 'nxos' | 'frr';
  readonly source: string;
  readonly context?: string;
  readonly secrets?: Record<string, string>;
  readonly lookalikes?: string[];
}

const rulesOf: Record<Group['platform'], ConfigRules> = { ios: iosRules, nxos: nxosRules, frr: frrRules };
const groups = parse(
  readFileSync(new URL('fixtures/secret-corpus.yaml', import.meta.url), 'utf8'),
) as Group[];

/** The sanitizer's output for `text` (one line or a block) after the group's context lines. */
function sanitize(group: Group, text: string): { text: string; hits: ReadonlyMap<string, number> } {
  const context = group.context === undefined ? [] : group.context.split('\n');
  const result = maskSecrets([...context, ...text.split('\n')], rulesOf[group.platform].secrets);
  expect(result.lines.slice(0, context.length)).toEqual(context);
  return { text: result.lines.slice(context.length).join('\n'), hits: result.hits };
}

/** The values a masked form hides in its line: what stands where each placeholder is. */
function secretValues(line: string, masked: string): string[] {
  const pattern = masked
    .split(MASK)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('(.+?)');
  const match = new RegExp(`^${pattern}$`).exec(line);
  if (!match) throw new Error(`corpus entry does not fit its masked form: ${line}`);
  return match.slice(1);
}

const secretCases = groups.flatMap((group) =>
  Object.entries(group.secrets ?? {}).map(([line, masked]) => ({ group, line, masked })),
);
const lookalikes = groups.flatMap((group) => (group.lookalikes ?? []).map((line) => ({ group, line })));

describe('secret corpus', () => {
  it('holds at least 80 secret shapes and 40 look-alikes, from IOS, IOS-XE 9800, NX-OS and FRR sources', () => {
    expect(secretCases.length).toBeGreaterThanOrEqual(80);
    expect(lookalikes.length).toBeGreaterThanOrEqual(40);
    for (const group of groups) expect(group.source.length).toBeGreaterThan(20);
    expect(new Set(groups.map((group) => group.platform))).toEqual(new Set(['ios', 'nxos', 'frr']));
    expect(groups.some((group) => group.source.includes('9800'))).toBe(true);
  });

  it.each(secretCases.map((c) => [c.group.platform, c.line, c]))('%s masks %s', (_platform, _line, c) => {
    const values = secretValues(c.line, c.masked);
    expect(values.length).toBeGreaterThan(0);
    const out = sanitize(c.group, c.line).text;
    expect(out).toBe(c.masked);
    for (const value of values) expect(out).not.toContain(value.replace(/^"|"$/g, ''));
  });

  it.each(lookalikes.map((c) => [c.group.platform, c.line, c]))('%s keeps %j', (_platform, _line, c) => {
    expect(sanitize(c.group, c.line).text).toBe(c.line);
  });

  it.each(Object.entries(rulesOf))('uses every %s shape and keyword', (platform, rules) => {
    const usedBy = (cases: typeof secretCases) =>
      new Set(cases.flatMap((c) => [...sanitize(c.group, c.line).hits.keys()]));
    const here = usedBy(secretCases.filter((c) => c.group.platform === platform));
    // Keywords are shared data: a case on any platform exercises them.
    const anywhere = usedBy(secretCases);
    expect(rules.secrets.shapes.map((rule) => rule.name).filter((name) => !here.has(name))).toEqual([]);
    expect(rules.secrets.keywords.map((rule) => rule.name).filter((name) => !anywhere.has(name))).toEqual([]);
  });

  it.each(Object.entries(rulesOf))(
    '%s: every token a keyword reads holds one of the stems that let its line be read',
    (_platform, rules) => {
      const { keywords, mentions } = rules.secrets;
      // The corpus' words, the algorithm forms (ALGORITHM in secret-keywords.ts) and keyword spellings.
      const corpusTokens = groups.flatMap((group) =>
        [...Object.keys(group.secrets ?? {}), ...(group.lookalikes ?? [])].flatMap((line) =>
          line.split(/\s+/),
        ),
      );
      const forms = [
        'des',
        '3des',
        'hmac-des',
        'ah-3des',
        'aes',
        'aes-cbc',
        'aes128',
        'sha',
        'sha1',
        'sha-256',
        'hmac-sha1',
        'md5',
        'auth',
        'priv',
        'esp',
        'community-map',
        'password-encrypt',
        'passwd',
        'passphrase',
        'wpa-psk',
      ];
      const tokens = [...corpusTokens, ...forms];
      const keywordTokens = tokens.filter((token) => keywords.some((keyword) => keyword.word.test(token)));
      expect(keywordTokens.length).toBeGreaterThan(100);
      expect(keywordTokens.filter((token) => !mentions.test(token))).toEqual([]);
      // Lines whose only stem-like words are free text or command names are not read for keywords.
      for (const line of [
        'description uplink to core-1 port 4',
        'aaa authentication login default local',
        'username ops privilege 15',
        ' passive-interface default',
        ' shape average 1000000',
      ])
        expect(mentions.test(line), line).toBe(false);
    },
  );
});
