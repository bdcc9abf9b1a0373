/**
 * The error-marker scan finds exactly what the union of the markers (multiline) finds, at the same
 * index: a marker at every position of an output, on every kind of line end, among lines full of
 * the characters it searches for, and for patterns it cannot read (then the union scans it all).
 */
import { describe, expect, it } from 'vitest';
import { lineMarkers, requiredLiteral } from '../../src/channel/line-markers.js';
import { frrErrorMarkers } from '../../src/platforms/frr/error-markers.js';
import { iosErrorMarkers } from '../../src/platforms/ios/error-markers.js';
import { nxosErrorMarkers } from '../../src/platforms/nxos/error-markers.js';

const union = (markers: readonly RegExp[]) =>
  new RegExp(markers.map((m) => `(?:${m.source})`).join('|'), 'm');
const expected = (markers: readonly RegExp[], text: string) => union(markers).exec(text)?.index ?? -1;

/** Lines a device prints when it refuses something (device-reference.md §1.8, §4), and near misses. */
const refusals = [
  "% Invalid input detected at '^' marker.",
  '%Invalid input detected',
  '% Incomplete command.',
  '% Ambiguous command:  "sh"',
  '% Unknown command or computer name, or unable to find computer address',
  '%Error opening tftp://192.0.2.10/r1-confg (Timed out)',
  'Command authorization failed.',
  'r1#show run Command authorization failed',
  "% Invalid command at '^' marker.",
  "% Invalid parameter detected at '^' marker.",
  "% Invalid number at '^' marker.",
  '% Permission denied for the role',
  "Syntax error while parsing 'show foo'",
  'TFTP put operation failed:Access violation',
  'copy: TFTP get operation failed',
  'This command is deprecated.',
  '% Command incomplete.',
  '% There is no matched command.',
  '% Configuration failed.',
  '% Malformed address',
];
const nearMisses = [
  ' % Invalid input detected',
  'x% Incomplete command',
  '%Errorx',
  '% Error opening',
  'Command authorization',
  'TFTP put operation',
  'TFTP send operation failed',
  "% Invalid number at '^'",
  'description 100% uplink',
  '%',
  'S',
  'T',
  'Syntax error',
  'This command is deprecated',
  ' banner motd ^C % Unknown ^C',
];
const configLines = [
  'hostname r1',
  '!',
  'interface GigabitEthernet0/0',
  ' description Core uplink to TFTP server',
  ' ip address 192.0.2.1 255.255.255.0',
  'Current configuration : 16734 bytes',
  'end',
  '',
];
const platforms = { ios: iosErrorMarkers, nxos: nxosErrorMarkers, frr: frrErrorMarkers };

/** A small deterministic generator (no timed or random test runs). */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
}

describe('required literal of a marker', () => {
  it('reads the platforms’ markers', () => {
    expect(iosErrorMarkers.map((m) => requiredLiteral(m.source))).toEqual([
      '%',
      '%',
      '%',
      '%',
      '%Error ',
      'Command authorization failed',
    ]);
    expect(nxosErrorMarkers.map((m) => requiredLiteral(m.source))).toEqual([
      '% Invalid ',
      '% Invalid ',
      '% Incomplete command',
      '% Ambiguous command',
      '% Permission denied',
      'Syntax error while parsing',
      'TFTP ',
      'This command is deprecated.',
    ]);
    for (const marker of frrErrorMarkers) expect(requiredLiteral(marker.source)).toMatch(/^% /);
  });

  it('gives up on what could match across lines or holds no fixed text', () => {
    for (const source of [
      String.raw`^%\s+Invalid`,
      '^% [^x]*marker',
      '^%[ ]Invalid',
      String.raw`^% (?=Invalid)`,
      String.raw`(?<=x)% Invalid`,
      String.raw`^% (a)\1`,
      '^% Invalid|^Error',
      'x{2}',
      '^.*$',
      String.raw`\d+`,
      String.raw`\n% Invalid`,
      String.raw`% Invalid\W`,
      'a?b*',
      '(abc',
    ])
      expect(requiredLiteral(source), source).toBeUndefined();
  });

  it('keeps escapes, optional characters and groups out of the run', () => {
    expect(requiredLiteral(String.raw`^This command is deprecated\.`)).toBe('This command is deprecated.');
    expect(requiredLiteral('^% ?Invalid')).toBe('%');
    expect(requiredLiteral('^(?:% )?Invalid input')).toBe('Invalid input');
    expect(requiredLiteral(String.raw`\bab+c`)).toBe('a');
    expect(requiredLiteral('.*TFTP (put|get) x')).toBe('TFTP ');
  });
});

describe('first error marker in an output', () => {
  for (const [name, markers] of Object.entries(platforms)) {
    it(`${name}: every refusal line at every position of an output is found where the union finds it`, () => {
      const scan = lineMarkers(markers);
      const body = Array.from({ length: 40 }, (_, i) => configLines[i % configLines.length]).join('\r\n');
      for (const line of [...refusals, ...nearMisses]) {
        for (let at = 0; at <= body.length; at++) {
          for (const text of [
            body.slice(0, at) + line + body.slice(at),
            `${body.slice(0, at)}\n${line}\n${body.slice(at)}`,
          ])
            expect(scan.first(text), JSON.stringify([line, at])).toBe(expected(markers, text));
        }
      }
    });

    it(`${name}: generated outputs (every line end, lines full of searched characters) agree with the union`, () => {
      const scan = lineMarkers(markers);
      const pick = generator(name.length * 7919);
      const ends = ['\n', '\r\n', '\r', '\r\r\n', '\u2028', '\u2029'];
      const pool = [
        ...refusals,
        ...nearMisses,
        ...configLines,
        '% 1%',
        '%%%',
        'CCC',
        'TTTT',
        'SSS',
        'ütf-8 ✓',
      ];
      for (let round = 0; round < 400; round++) {
        const lines = Array.from({ length: 1 + pick(80) }, () => {
          const line = pool[pick(pool.length)] as string;
          // Some lines repeated many times: more candidate lines than the scan tries one by one.
          return pick(10) === 0 ? `${line}%` : line;
        });
        let text = '';
        for (const line of lines) text += line + (ends[pick(ends.length)] as string);
        if (pick(3) === 0) text = text.slice(0, pick(text.length + 1));
        expect(scan.first(text), JSON.stringify(text)).toBe(expected(markers, text));
      }
    });
  }

  it('finds a marker after more lines holding its first character than it tries one by one', () => {
    const scan = lineMarkers(iosErrorMarkers);
    const noise = Array.from({ length: 200 }, (_, i) => ` load ${i}% of CPU`).join('\n');
    const text = `${noise}\n% Invalid input detected at '^' marker.\n${noise}`;
    expect(scan.first(text)).toBe(noise.length + 1);
    expect(scan.first(noise)).toBe(-1);
    expect(scan.first(`${noise}\nx Command authorization failed`)).toBe(noise.length + 3);
    // The refusal on the last candidate line tried alone, on the first one the union scans, after.
    for (let lines = 0; lines < 40; lines++) {
      const before = Array.from({ length: lines }, (_, i) => `${i}%`).join('\n');
      for (const text of [`${before}\n% Incomplete command.\nr1#`, `${before}\n%Error opening x`])
        expect(scan.first(text), `${lines} lines`).toBe(before.length + 1);
    }
  });

  it('scans the whole text with the union when a marker cannot be read', () => {
    const markers = [/^% Invalid/, /^Error:\s+\w+/];
    const scan = lineMarkers(markers);
    for (const text of ['ok\nError:\n  bad\n', 'ok\nError: bad', 'ok\n% Invalid\n', 'ok\n'])
      expect(scan.first(text)).toBe(expected(markers, text));
  });

  it('finds nothing with no markers, as the empty union finds at 0', () => {
    expect(lineMarkers([]).first('text')).toBe(expected([], 'text'));
  });
});
