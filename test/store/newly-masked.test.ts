import { describe, expect, it } from 'vitest';
import { newlyMaskedLines } from '../../src/store/newly-masked.js';

const config = (...lines: string[]) => ['hostname r1', ...lines, 'end', ''].join('\n');

describe('newlyMaskedLines: values the new copy masks and the copy it replaces held in clear', () => {
  it('counts each line whose clear value is now a placeholder', () => {
    const before = config(
      'tacacs-server key 12345',
      'snmp-server community <secret:0a1b2c> RO',
      'ntp server 198.18.0.1',
    );
    const after = config(
      'tacacs-server key <secret:3d4e5f>',
      'snmp-server community <secret:0a1b2c> RO',
      'ntp server 198.18.0.1',
    );
    expect(newlyMaskedLines(before, after)).toBe(1);
    expect(
      newlyMaskedLines(before.replace('12345', '<removed>'), after.replace('<secret:3d4e5f>', '<removed>')),
    ).toBe(0);
  });

  it('a line holding two values, one masked before and one in clear (regex characters kept literal)', () => {
    const before = config('copy scp://u:<removed>@198.18.0.1/a.cfg ftp://u:Pa$$.w0rd@198.18.0.2/b+(c).cfg');
    const after = config('copy scp://u:<removed>@198.18.0.1/a.cfg ftp://u:<removed>@198.18.0.2/b+(c).cfg');
    expect(newlyMaskedLines(before, after)).toBe(1);
  });

  it('counts a line that reads as another one kept (placeholders <removed>)', () => {
    const before = config('snmp-server community <removed> RO', 'snmp-server community 12345 RO');
    const after = config('snmp-server community <removed> RO', 'snmp-server community <removed> RO');
    expect(newlyMaskedLines(before, after)).toBe(1);
  });

  it('does not count a secret changed on the device, a placeholder form switched, or a new line', () => {
    const keyed = config('tacacs-server key <secret:0a1b2c>', 'line vty 0 4', ' password 7 <secret:111111>');
    expect(newlyMaskedLines(keyed, keyed.replace('<secret:0a1b2c>', '<secret:999999>'))).toBe(0);
    expect(newlyMaskedLines(keyed.replace(/<secret:\w+>/g, '<removed>'), keyed)).toBe(0);
    expect(
      newlyMaskedLines(
        keyed,
        config(
          'tacacs-server key <secret:0a1b2c>',
          'radius-server key <secret:222222>',
          'line vty 0 4',
          ' password 7 <secret:111111>',
        ),
      ),
    ).toBe(0);
    expect(newlyMaskedLines(keyed, keyed)).toBe(0);
  });

  it('pairs a line with its own earlier copy before one of another shape (` key 7 X` is not ` key X` in clear)', () => {
    // Two server blocks, one key stored type 7, one type 0: switching placeholders changes neither.
    const removed = config(
      'radius server RAD1',
      ' key 7 <removed>',
      'radius server RAD2',
      ' key <removed>',
      'tacacs server TAC2',
      ' key <removed>',
    );
    let n = 0;
    const keyed = removed.replace(/<removed>/g, () => `<secret:${String(++n).repeat(6)}>`);
    expect(newlyMaskedLines(removed, keyed)).toBe(0);
    // Each old line pairs once: RAD2's key was in clear, TAC2's was masked already.
    expect(newlyMaskedLines(removed.replace(' key <removed>', ' key 12345'), keyed)).toBe(1);
  });

  it('does not pair lines that differ outside their placeholders', () => {
    const before = config('tacacs-server host 198.18.0.1 key 12345');
    const after = config('tacacs-server host 198.18.0.2 key <removed>');
    expect(newlyMaskedLines(before, after)).toBe(0);
  });
});
