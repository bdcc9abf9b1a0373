/**
 * What the MAC of a received text leaves out: only head lines the store drops whatever they say
 * (volatile, at column 0, touched by no other rule), never a line below the head.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { nxosRules } from '../../src/platforms/nxos/config-rules.js';
import { noNoiseRules, type NoiseRules } from '../../src/store/noise-rules.js';
import { withoutVolatileHead } from '../../src/store/volatile-header.js';

const ios = readFileSync(new URL('fixtures/ios-running-config.txt', import.meta.url), 'utf8');
const nxos = readFileSync(new URL('fixtures/nxos-running-config.txt', import.meta.url), 'utf8');

/** The lines a text lost: the ones in `raw` that no part holds. */
const leftOut = (raw: string, parts: readonly string[]) =>
  raw.split('\n').filter((line) => line !== '' && !parts.join('\n').split('\n').includes(line));

describe('withoutVolatileHead', () => {
  it('leaves out NX-OS head lines that carry times', () => {
    const left = leftOut(nxos, withoutVolatileHead(nxos, nxosRules, noNoiseRules));
    expect(left.map((line) => line.slice(0, 20))).toEqual(['!Running configurati', '!Time: Mon Dec  1 14']);
  });

  it('leaves out the IOS head lines of the exec timestamp, the size and the last changes', () => {
    const left = leftOut(ios, withoutVolatileHead(ios, iosRules, noNoiseRules));
    expect(left.map((line) => line.slice(0, 18))).toEqual([
      'Load for five secs',
      'Time source is NTP',
      'Building configura',
      'Current configurat',
      '! Last configurati',
      '! NVRAM config las',
    ]);
  });

  it('keeps every line below the head, every line a noise rule reads, and texts with CR', () => {
    const body = `${nxos}!Time: in the body\n`;
    expect(withoutVolatileHead(body, nxosRules, noNoiseRules).at(-1)).toContain('!Time: in the body');
    const noise: NoiseRules = { ignore: [{ label: 'time', match: /^!Time:/ }], normalize: [] };
    expect(withoutVolatileHead(nxos, nxosRules, noise)).toHaveLength(2);
    expect(withoutVolatileHead(nxos.replaceAll('\n', '\r\n'), nxosRules, noNoiseRules)).toEqual([
      nxos.replaceAll('\n', '\r\n'),
    ]);
  });
});
