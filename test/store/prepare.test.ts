/**
 * prepareConfig refuses what must never replace a good copy (truncated, device errors, shrunk by
 * more than half, empty) with a reason, and treats volatile-only differences as no change.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareConfig, type Prepared } from '../../src/store/prepare.js';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { nxosRules } from '../../src/platforms/nxos/config-rules.js';

const ios = readFileSync(new URL('fixtures/ios-running-config.txt', import.meta.url), 'utf8');
const nxos = readFileSync(new URL('fixtures/nxos-running-config.txt', import.meta.url), 'utf8');

function stored(raw: string): string {
  const result = prepareConfig(raw, iosRules);
  if (!result.ok) throw new Error(result.reason);
  return result.content;
}

function rejected(result: Prepared) {
  if (result.ok) throw new Error('expected a rejection');
  return result;
}

/** A config with many interfaces, so that a cut keeps its size meaningful. */
function bigConfig(interfaces: number): string {
  const body = Array.from(
    { length: interfaces },
    (_, i) => `interface GigabitEthernet0/${i}\n description port ${i}\n no shutdown\n!`,
  );
  return [
    'Building configuration...',
    '',
    'hostname r1',
    'snmp-server community SecretComm RO',
    ...body,
    'end',
    '',
  ].join('\n');
}

describe('prepareConfig', () => {
  it('rejects a config cut before its closing "end", keeping a masked copy for inspection', () => {
    const lines = ios.split('\n');
    const cut = lines.slice(0, Math.floor(lines.length * 0.7)).join('\n');
    const result = rejected(prepareConfig(cut, iosRules));
    expect(result.code).toBe('TRUNCATED');
    expect(result.reason).toMatch(/stops after line \d+ without its closing line/);
    expect(result.content).toContain('username bob password 7 <removed>');
    expect(result.content).not.toContain('094F471A1A0A');
  });

  it('rejects a capture holding a device error and quotes the error line', () => {
    const raw = stored(ios).replace(
      'hostname r1\n',
      "hostname r1\n       ^\n% Invalid input detected at '^' marker.\n",
    );
    const result = rejected(prepareConfig(raw, iosRules));
    expect(result.code).toBe('ERROR_MARKER');
    expect(result.reason).toMatch(
      /^line \d+ is a device error message: "% Invalid input detected at '\^' marker\."$/,
    );
  });

  it('rejects a capture with a pager prompt left in it', () => {
    const raw = ios.replace('hostname r1\n', 'hostname r1\n --More-- \n');
    expect(rejected(prepareConfig(raw, iosRules)).code).toBe('ERROR_MARKER');
  });

  it('rejects a config 60 % smaller than the last good copy unless shrinking is allowed', () => {
    const previous = stored(bigConfig(100));
    const previousBytes = Buffer.byteLength(previous);
    const smaller = bigConfig(40);
    const result = rejected(prepareConfig(smaller, iosRules, { previousBytes }));
    expect(result.code).toBe('SHRUNK');
    const [, percent, after, before] =
      /(\d+) % smaller than the last good copy \((\d+) bytes against (\d+)\)/.exec(result.reason) ?? [
        '',
        '0',
        '0',
        '0',
      ];
    expect(Number(before)).toBe(Buffer.byteLength(previous));
    expect(Number(after)).toBe(Buffer.byteLength(stored(smaller)));
    expect(Number(percent)).toBeGreaterThanOrEqual(58);
    expect(Number(percent)).toBeLessThanOrEqual(62);

    const allowed = prepareConfig(smaller, iosRules, { previousBytes, allowShrink: true });
    expect(allowed).toMatchObject({ ok: true, content: stored(smaller) });
  });

  it('accepts a config that shrank by less than half', () => {
    const previousBytes = Buffer.byteLength(stored(bigConfig(100)));
    expect(prepareConfig(bigConfig(60), iosRules, { previousBytes }).ok).toBe(true);
  });

  it('rejects an empty upload and a header without a config', () => {
    expect(rejected(prepareConfig('', iosRules)).code).toBe('EMPTY');
    expect(rejected(prepareConfig('\r\n\r\n', iosRules)).code).toBe('EMPTY');
    expect(rejected(prepareConfig('!Time: Mon Dec  1 14:37:04 2025\n', nxosRules)).code).toBe('EMPTY');
  });

  it('gives the same text when only volatile lines differ, so the store sees no change', () => {
    const later = ios
      .replace('Current configuration : 3600 bytes', 'Current configuration : 3608 bytes')
      .replace('11:54:34 UTC Thu Aug 29 2024', '02:00:01 UTC Fri Aug 30 2024')
      .replace('ntp clock-period 17179869', 'ntp clock-period 17179873');
    expect(stored(later)).toBe(stored(ios));
    const nxLater = nxos.replace('!Time: Mon Dec  1 14:37:04 2025', '!Time: Tue Dec  2 02:00:00 2025');
    // The same result but for the explanation, which quotes the dropped volatile line.
    const { changes: laterChanges, ...laterResult } = prepareConfig(nxLater, nxosRules) as Prepared & {
      changes: unknown;
    };
    const { changes: firstChanges, ...firstResult } = prepareConfig(nxos, nxosRules) as Prepared & {
      changes: unknown;
    };
    expect(laterResult).toEqual(firstResult);
    expect(laterChanges).not.toEqual(firstChanges);
  });

  it('stores the same text from a capture with or without carriage returns, whatever its rules did mid-text', () => {
    const noise = {
      ignore: [{ label: 'location', match: /^snmp-server location / }],
      normalize: [{ label: 'contact', match: /^(snmp-server contact) \S+/, replace: '$1 NOC' }],
    };
    const lines = [
      'Building configuration...',
      '',
      '!',
      '',
      'hostname r1',
      '!',
      'snmp-server community SecretComm RO',
      'snmp-server location rack 1',
      'snmp-server contact ops@example.net',
      'snmp-server location rack 1',
      '!',
      'ntp clock-period 17179869',
      'interface Loopback0',
      ' ip address 10.0.0.1 255.255.255.255',
      '!',
      'end',
      '',
      '',
    ];
    const lf = `${lines.join('\n')}\n`;
    const result = prepareConfig(lf, iosRules, { noise });
    const crlf = prepareConfig(lf.replaceAll('\n', '\r\n'), iosRules, { noise });
    expect(result.ok && result.content).toBe(
      [
        '!',
        '',
        'hostname r1',
        '!',
        'snmp-server community <removed> RO',
        'snmp-server contact NOC',
        '!',
        'interface Loopback0',
        ' ip address 10.0.0.1 255.255.255.255',
        '!',
        'end',
        '',
      ].join('\n'),
    );
    expect(crlf).toEqual(result);
    // A last line without its line break is stored with one, as every other.
    const unfinished = prepareConfig(lf.replace(/\n+$/, ''), iosRules, { noise });
    expect(unfinished.ok && unfinished.content).toBe(result.ok && result.content);
  });

  it('accepts NX-OS configs, which have no trailer', () => {
    const result = prepareConfig(nxos, nxosRules);
    expect(result).toMatchObject({ ok: true });
    if (result.ok)
      expect(result.content.startsWith('!Command: show running-config\n\nversion 10.4(5)')).toBe(true);
  });

  it('refuses an uploaded NX-OS file that stops mid-line, where no size was announced (SNMP copy)', () => {
    const cut = nxos.slice(0, Math.floor(nxos.length / 2)).replace(/\n[^\n]*$/, '\n  set com');
    expect(prepareConfig(nxos, nxosRules, { evidence: { uploadedFile: true } })).toMatchObject({ ok: true });
    const result = prepareConfig(cut, nxosRules, { evidence: { uploadedFile: true } });
    expect(result).toMatchObject({ ok: false, code: 'TRUNCATED' });
    if (!result.ok)
      expect(result.reason).toMatch(/^the uploaded file stops in the middle of line \d+ \("set com"\)$/);
    // Command output (the show method) is not a file: its last line break is the channel's to keep.
    expect(prepareConfig(cut, nxosRules)).toMatchObject({ ok: true });
  });
});
