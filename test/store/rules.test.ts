/**
 * Each platform's rules against a fixture holding every secret kind it knows: every planted
 * secret value is masked in place, every other line is kept byte for byte, volatile lines are
 * dropped, and every rule is exercised by at least one line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareConfig } from '../../src/store/prepare.js';
import { MASK, type ConfigRules } from '../../src/store/rules.js';
import { frrRules } from '../../src/platforms/frr/config-rules.js';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { nxosRules } from '../../src/platforms/nxos/config-rules.js';

interface Case {
  readonly rules: ConfigRules;
  readonly fixture: string;
  /** Every secret value planted in the fixture, exactly as it appears. */
  readonly secrets: readonly string[];
  /** The lines that must not reach the store. */
  readonly volatile: readonly string[];
  /** Lines of another capture (e.g. startup-config) that cover the remaining volatile patterns. */
  readonly otherLines?: readonly string[];
}

const iosStartupConfig = [
  'Using 4242 out of 491512 bytes',
  '!',
  '! No configuration change since last restart',
  '!',
  'hostname r1',
  'end',
  '',
].join('\n');

const cases: Record<string, Case> = {
  ios: {
    rules: iosRules,
    fixture: 'ios-running-config.txt',
    secrets: [
      '$1$mERr$hx5rVt7rPNoS4wqbXKX7m0',
      '0822455D0A16AA',
      '$9$nvdehFKbdNgrB.$ug6ksFUQaI',
      '094F471A1A0A',
      'plain text pw',
      '045802150C2E1D1C5A',
      'PrivateKeyPlain',
      '1511021F07257A767B',
      'PlainTacKey2',
      'PlainRadKey1',
      '0835495D1D1C',
      '13061E010803',
      '02050D480809',
      '110A1016141D5A5E57',
      'RadHostKey',
      'IsakmpKey1',
      'IsakmpKey6',
      'KeyringPSK',
      'Ikev2LocalPSK',
      'Ikev2RemotePSK',
      '060506324F41',
      'KeyChainPlain',
      '070C285F4D06',
      '01100F175804',
      'HsrpMd5Key',
      'HsrpPlain',
      'VrrpText',
      '0822455D0A1654',
      'PapPassword',
      'WpaPskValue',
      'IsisDomainPw',
      'IsisAreaPw',
      'BgpNeighborKey',
      '104D000A0618',
      'PublicCommunity',
      'PrivateCommunity',
      'TrapCommunity',
      'InformCommunity',
      'OldCommunity',
      '060A1F1D4B5C',
      'LineVtyPlain',
      'IosSnmpAuthKey',
      'IosSnmpPrivKey',
      'IosMd5AuthKey',
      'IosDesPrivKey',
    ],
    volatile: [
      'Load for five secs: 1%/0%; one minute: 1%; five minutes: 1%',
      'Time source is NTP, 11:58:03.123 UTC Thu Aug 29 2024',
      'Building configuration...',
      'Current configuration : 3600 bytes',
      '! Last configuration change at 11:54:34 UTC Thu Aug 29 2024 by admin',
      '! NVRAM config last updated at 11:55:02 UTC Thu Aug 29 2024 by admin',
      'ntp clock-period 17179869',
    ],
    otherLines: iosStartupConfig.split('\n'),
  },
  nxos: {
    rules: nxosRules,
    fixture: 'nxos-running-config.txt',
    secrets: [
      '$5$KAEOEI$xqeZo1sb9mO.Fv0GqJq1SbR8Xxn',
      '$5$OPSsalt$Ops5HashValue',
      '"TacGlobalKey"',
      '"TacHostKey"',
      '"RadHostKey"',
      '0x6bb8a3c1d2e4f5061728394a5b6c7d8e',
      '0x1a2b3c4d5e6f708192a3b4c5d6e7f801',
      '0x0badc0ffee0ddf00d123456789abcdef',
      '0xfeedfacecafebeef0123456789abcdef',
      'NxTrapCommunity',
      'NxRmonCommunity',
      'NxReadCommunity',
      'NxNtpKey',
      'NxKeyChainKey',
      'NxOspfAuthKey',
      'NxOspfMd5Key',
      'NxHsrpKey',
      'NxVrrpKey',
      'NxBgpPassword',
    ],
    volatile: [
      '!Running configuration last done at: Tue Sep 30 09:02:26 2025',
      '!Time: Mon Dec  1 14:37:04 2025',
    ],
  },
  frr: {
    rules: frrRules,
    fixture: 'frr-running-config.txt',
    secrets: [
      'FrrVtyPassword',
      'FrrEnablePassword',
      'FrrKeyString',
      'FrrOspfAuth',
      'FrrOspfMd5',
      'FrrOspf6Key',
      'FrrIsisIfPw',
      'FrrRipString',
      'FrrBgpPassword',
      'FrrIsisArea',
      'FrrIsisDomain',
    ],
    volatile: ['Building configuration...', 'Current configuration:'],
  },
};

function fixture(name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
}

/** What the store must hold: volatile lines and the header's blank lines gone, each secret value masked. */
function expectedContent(raw: string, c: Case): string {
  const lines = raw.split('\n').slice(0, -1);
  const kept = lines.filter((line) => !c.volatile.includes(line));
  while (kept[0] === '') kept.shift();
  return (
    kept.map((line) => c.secrets.reduce((text, secret) => text.split(secret).join(MASK), line)).join('\n') +
    '\n'
  );
}

describe.each(Object.entries(cases))('%s config rules', (_platform, c) => {
  const raw = fixture(c.fixture);

  it('masks every secret value in place and keeps every other line', () => {
    for (const secret of c.secrets) expect(raw, `fixture plants ${secret}`).toContain(secret);
    const result = prepareConfig(raw, c.rules);
    if (!result.ok) throw new Error(`rejected: ${result.reason}`);
    expect(result.content).toBe(expectedContent(raw, c));
    for (const secret of c.secrets) expect(result.content).not.toContain(secret);
    const secretLines = raw.split('\n').filter((line) => c.secrets.some((secret) => line.includes(secret)));
    expect(result.masked).toBe(secretLines.length);
  });

  // Every secret shape and keyword is exercised by the corpus (secret-corpus.test.ts).
  it('exercises every volatile pattern in the fixture', () => {
    const lines = [...raw.split('\n'), ...(c.otherLines ?? [])];
    const idle = c.rules.volatile.filter((pattern) => !lines.some((line) => pattern.test(line)));
    expect(idle.map(String)).toEqual([]);
  });

  it('stores the same text whatever the line endings', () => {
    const plain = prepareConfig(raw, c.rules);
    const crlf = prepareConfig(raw.replaceAll('\n', '\r\n'), c.rules);
    const nxosStyle = prepareConfig(raw.replaceAll('\n', '\r\r\n'), c.rules);
    expect(crlf).toEqual(plain);
    expect(nxosStyle).toEqual(plain);
  });

  it('keeps secrets when sanitizing is turned off', () => {
    const result = prepareConfig(raw, c.rules, { sanitize: false });
    if (!result.ok) throw new Error(result.reason);
    expect(result.masked).toBe(0);
    for (const secret of c.secrets) expect(result.content).toContain(secret);
  });
});

describe('IOS startup-config header', () => {
  it('drops the byte count and the no-change marker', () => {
    const result = prepareConfig(iosStartupConfig, iosRules);
    expect(result).toMatchObject({ ok: true, content: '!\n!\nhostname r1\nend\n', dropped: 2 });
  });
});
