/**
 * The sanitizer's block handling and placeholder hook: banners are free text only where they
 * really close, and a caller can choose the placeholder per secret (keyed-hash placeholders).
 */
import { describe, expect, it } from 'vitest';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { nxosRules } from '../../src/platforms/nxos/config-rules.js';
import { noNoiseRules } from '../../src/store/noise-rules.js';
import { ruleLines } from '../../src/store/rule-lines.js';
import { maskSecrets } from '../../src/store/sanitize.js';

const mask = (lines: string[], placeholder?: (secret: string) => string) =>
  maskSecrets(lines, iosRules.secrets, placeholder ? { placeholder } : {}).lines;

describe('maskSecrets', () => {
  it('keeps a closed banner as written, whatever words it holds', () => {
    const banner = ['banner login ^C', 'password reset: call x1234', 'snmp-server community public', '^C'];
    expect(mask([...banner, 'enable secret 9 $9$Sec'])).toEqual([...banner, 'enable secret 9 <removed>']);
  });

  it('reads the lines after a banner that never closes as config, so their secrets are masked', () => {
    expect(mask(['banner motd ^C', 'Welcome', 'snmp-server community S3cretComm RO', 'end'])).toEqual([
      'banner motd ^C',
      'Welcome',
      'snmp-server community <removed> RO',
      'end',
    ]);
  });

  it('closes a banner on the ETX byte a TFTP copy holds instead of ^C', () => {
    const banner = ['banner exec \u0003', 'key holders only', '\u0003'];
    expect(mask([...banner, ' password 7 0822455D0A16'])).toEqual([...banner, ' password 7 <removed>']);
  });

  it('asks the placeholder of each secret value, so equal secrets can get equal placeholders', () => {
    const seen: string[] = [];
    const out = mask(
      ['snmp-server community CommA RO', 'snmp-server host 192.0.2.1 version 2c CommA'],
      (secret) => {
        seen.push(secret);
        return `<secret:${secret.length}>`;
      },
    );
    expect(seen).toEqual(['CommA', 'CommA']);
    expect(out).toEqual([
      'snmp-server community <secret:5> RO',
      'snmp-server host 192.0.2.1 version 2c <secret:5>',
    ]);
  });

  it('reads tabs and Unicode spaces as blanks, between words and in the indent', () => {
    expect(
      mask([
        'snmp-server community\tS3cretComm\tRO',
        'ntp authentication-key 1 md5\u00a0Nt9Secret 7',
        'interface Gi1',
        '\tip ospf message-digest-key 1 md5 0 OspfKey',
        ' \u00a0standby 1 authentication md5 key-string 0 HsrpKey',
        'tacacs-server key 0 TacKey  ',
        '  ',
      ]),
    ).toEqual([
      'snmp-server community\t<removed>\tRO',
      'ntp authentication-key 1 md5\u00a0<removed> 7',
      'interface Gi1',
      '\tip ospf message-digest-key 1 md5 0 <removed>',
      ' \u00a0standby 1 authentication md5 key-string 0 <removed>',
      'tacacs-server key 0 <removed>  ',
      '  ',
    ]);
  });

  it('masks a value of a block-bound shape only inside that block, however deep and past blank lines', () => {
    const lines = [
      'interface Vlan10',
      '  hsrp 1',
      '',
      '    ',
      '    authentication text InsideHsrp',
      '  ip address 192.0.2.1/24',
      '  authentication text UnderInterfaceOnly',
      'authentication text TopLevel',
      'interface Vlan20',
      '  vrrp 7',
      '    preempt',
      '      authentication text DeeperInVrrp',
      '  authentication text AfterVrrpClosed',
    ];
    const expected = [...lines];
    expected[4] = '    authentication text <removed>';
    expected[11] = '      authentication text <removed>';
    const all = maskSecrets(lines, nxosRules.secrets);
    expect(all.lines).toEqual(expected);
    expect(all.hits.get('hsrp/vrrp authentication text')).toBe(2);
    // The same through the lines a rule may act on, as prepareConfig calls it.
    const met = ruleLines(lines, nxosRules, noNoiseRules);
    expect(maskSecrets(lines, nxosRules.secrets, { ruleLines: met }).lines).toEqual(expected);
  });
});
