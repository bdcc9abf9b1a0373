/**
 * A stored config is the same whether the lines no rule's pattern matches are passed over or every
 * rule tests every line: prepareConfig's output (text, masked and dropped counts, each change for
 * `netops store explain`) against the sanitizer and line rules run on every line, for each platform's
 * fixture config and with job noise rules of every kind (global normalize, a back-reference, a
 * pattern with its own flags).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { frrRules } from '../../src/platforms/frr/config-rules.js';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { nxosRules } from '../../src/platforms/nxos/config-rules.js';
import { applyLineRules } from '../../src/store/line-rules.js';
import { noNoiseRules, type NoiseRules } from '../../src/store/noise-rules.js';
import { prepareConfig } from '../../src/store/prepare.js';
import { ruleLines } from '../../src/store/rule-lines.js';
import type { ConfigRules } from '../../src/store/rules.js';
import { maskSecrets } from '../../src/store/sanitize.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`fixtures/${name}-running-config.txt`, import.meta.url)), 'utf8');

const platforms: Record<string, ConfigRules> = { ios: iosRules, nxos: nxosRules, frr: frrRules };

const noise: NoiseRules = {
  ignore: [
    { label: 'ntp', match: /^ntp / },
    { label: 'doubled word', match: /\b(\w+) \1\b/ },
  ],
  normalize: [
    { label: 'numbers', match: /\d{3,}/g, replace: 'N' },
    { label: 'case', match: /DESCRIPTION/gi, replace: 'description' },
  ],
};

/** What every rule does to every line, with no line passed over. */
function everyLine(text: string, rules: ConfigRules, noiseRules: NoiseRules) {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const masked = maskSecrets(lines, rules.secrets);
  const { kept, changes } = applyLineRules({
    lines: masked.lines,
    maskedBy: masked.lineHits,
    volatile: rules.volatile,
    noise: noiseRules,
  });
  const first = kept.findIndex((line) => line.trim() !== '');
  const last = kept.findLastIndex((line) => line.trim() !== '');
  return { content: `${kept.slice(first, last + 1).join('\n')}\n`, masked: masked.masked, changes };
}

describe('lines no rule matches', () => {
  it.each(Object.keys(platforms))(
    '%s: the stored text and its explanation equal those of every rule on every line',
    (name) => {
      const rules = platforms[name] as ConfigRules;
      for (const noiseRules of [noNoiseRules, noise]) {
        const prepared = prepareConfig(fixture(name), rules, { noise: noiseRules });
        if (!prepared.ok) throw new Error(prepared.reason);
        const expected = everyLine(fixture(name), rules, noiseRules);
        expect(prepared.content).toBe(expected.content);
        expect(prepared.masked).toBe(expected.masked);
        expect(prepared.changes).toEqual(expected.changes);
        expect(prepared.masked).toBeGreaterThan(0);
      }
    },
  );

  it('marks only the lines some pattern matches, a global normalize rule on every line it matches', () => {
    const lines = ['hostname r1', ' mtu 1500', ' mtu 9216', 'interface Gi0/1'];
    const globalRule: NoiseRules = { ignore: [], normalize: [{ label: 'n', match: /\d{4}/g, replace: 'N' }] };
    expect([...ruleLines(lines, iosRules, globalRule)]).toEqual([0, 1, 1, 0]);
    expect([...ruleLines(lines, iosRules, noNoiseRules)]).toEqual([0, 0, 0, 0]);
  });
});
