/**
 * A masked config is recognised wherever a placeholder sits, so it is never installed on a device.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findSecretPlaceholders } from '../../src/store/placeholders.js';
import { prepareConfig } from '../../src/store/prepare.js';
import { MASK } from '../../src/store/rules.js';
import { frrRules } from '../../src/platforms/frr/config-rules.js';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { nxosRules } from '../../src/platforms/nxos/config-rules.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('findSecretPlaceholders', () => {
  it('names each line holding the mask, 1-based, with its text', () => {
    const text = [
      'hostname r1',
      `enable secret 9 ${MASK}`,
      '!',
      `snmp-server community ${MASK} RO`,
      'end',
    ].join('\n');
    expect(findSecretPlaceholders(text)).toEqual([
      { line: 2, text: `enable secret 9 ${MASK}` },
      { line: 4, text: `snmp-server community ${MASK} RO` },
    ]);
  });

  it('counts CRLF lines like LF lines', () => {
    expect(findSecretPlaceholders(`hostname r1\r\n password ${MASK}\r\nend\r\n`)).toEqual([
      { line: 2, text: ` password ${MASK}` },
    ]);
  });

  it('finds nothing in a config as the device sent it', () => {
    for (const name of ['ios-running-config.txt', 'nxos-running-config.txt', 'frr-running-config.txt']) {
      expect(findSecretPlaceholders(fixture(name))).toEqual([]);
    }
  });

  it.each([
    ['ios', iosRules, 'ios-running-config.txt'],
    ['nxos', nxosRules, 'nxos-running-config.txt'],
    ['frr', frrRules, 'frr-running-config.txt'],
  ])('finds every line the %s sanitizer masked', (_name, rules, name) => {
    const raw = fixture(name);
    const prepared = prepareConfig(raw, rules);
    if (!prepared.ok) throw new Error(`fixture ${name} rejected: ${prepared.reason}`);
    const found = findSecretPlaceholders(prepared.content);
    expect(found.length).toBe(prepared.masked);
    for (const { line, text } of found) expect(prepared.content.split('\n')[line - 1]).toBe(text);
  });
});
