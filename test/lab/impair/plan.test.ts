/**
 * The impairment as data: the spec's schema, the nftables ruleset and netem arguments each
 * direction turns into, and `netops lab impair`'s flags (bad ones exit 2 before any lab is touched).
 */
import { describe, expect, it } from 'vitest';
import { impairmentFromFlags, parsePercent, parseTime } from '../../../src/cli/actions/lab-impair.js';
import {
  describeImpairment,
  directionSchema,
  impairmentSchema,
  needsRelay,
} from '../../../src/lab/impair/impairment.js';
import { netemArgs } from '../../../src/lab/impair/netem.js';
import { nftRuleset } from '../../../src/lab/impair/nft-ruleset.js';
import { useTempDir } from '../../helpers/fixture.js';
import { runNetops } from '../../helpers/netops-cli.js';

const direction = (d: object) => directionSchema.parse(d);

describe('impairment plan', () => {
  it('reads a spec impairment with defaults and refuses reordering without a delay', () => {
    expect(impairmentSchema.parse({ fromDevice: { delayMs: 200 } })).toEqual({
      fromDevice: { delayMs: 200, jitterMs: 0, lossPercent: 0, duplicatePercent: 0, reorderPercent: 0 },
    });
    const bad = impairmentSchema.safeParse({ toDevice: { reorderPercent: 5 } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['toDevice', 'reorderPercent']);
    expect(impairmentSchema.safeParse({ toDevice: { lossPercent: 101 } }).success).toBe(false);
    expect(impairmentSchema.safeParse({ sideways: {} }).success).toBe(false);
  });

  it('needs the relay for delay, jitter, duplication and reordering, not for loss alone', () => {
    expect(needsRelay(direction({ lossPercent: 10 }))).toBe(false);
    expect(needsRelay(direction({ delayMs: 1 }))).toBe(true);
    expect(needsRelay(direction({ duplicatePercent: 1 }))).toBe(true);
    expect(needsRelay(undefined)).toBe(false);
  });

  it('writes loss as numgen rules, marks for relayed directions, and always deletes the old tables first', () => {
    const lossIn = nftRuleset('netops_ab12', {
      uplink: 'eth0',
      toDevice: direction({ lossPercent: 10 }),
      relayed: { toDevice: false, fromDevice: false },
    });
    expect(lossIn.split('\n').slice(0, 4)).toEqual([
      'table inet netops_ab12',
      'delete table inet netops_ab12',
      'table netdev netops_ab12',
      'delete table netdev netops_ab12',
    ]);
    expect(lossIn).toContain('iifname "eth0" meta protocol { ip, ip6 } numgen random mod 10000 < 1000 drop');
    expect(lossIn).not.toContain('mark set');
    expect(lossIn).not.toContain('hook output');
    expect(lossIn).not.toContain('egress');

    const relayedOut = nftRuleset('netops_ab12', {
      uplink: 'eth0',
      fromDevice: direction({ delayMs: 100, lossPercent: 0.5 }),
      relayed: { toDevice: false, fromDevice: true },
    });
    expect(relayedOut).toContain('type route hook output priority mangle');
    expect(relayedOut).toContain('oifname "eth0" fib daddr type unicast meta mark set 0x6e6f0002');
    expect(relayedOut).toContain('type filter hook egress device "eth0" priority filter');
    expect(relayedOut).toContain('numgen random mod 10000 < 50 drop');
    // Neighbour discovery is exempt wherever a chain exists.
    expect(relayedOut.match(/nd-neighbor-solicit/g)?.length).toBe(2);

    expect(nftRuleset('netops_ab12', undefined).trim().split('\n')).toHaveLength(4);
  });

  it('gives netem every field of a direction', () => {
    expect(
      netemArgs(
        'eth0',
        direction({ delayMs: 200, jitterMs: 20, lossPercent: 1, duplicatePercent: 2, reorderPercent: 3 })!,
      ),
    ).toEqual([
      'qdisc',
      'replace',
      'dev',
      'eth0',
      'root',
      'netem',
      'limit',
      '10000',
      'delay',
      '200ms',
      '20ms',
      'loss',
      '1%',
      'duplicate',
      '2%',
      'reorder',
      '3%',
    ]);
  });

  it('turns flags into the chosen direction(s), keeping the other', () => {
    expect(parseTime('--delay', '200ms')).toBe(200);
    expect(parseTime('--delay', '1.5s')).toBe(1500);
    expect(parseTime('--delay', '40')).toBe(40);
    expect(parsePercent('--loss', '10%')).toBe(10);
    expect(() => parsePercent('--loss', '120%')).toThrow(/--loss 120%: expected a percentage/);
    expect(() => parseTime('--delay', 'soon')).toThrow(/--delay soon: expected a time/);
    const current = impairmentSchema.parse({ toDevice: { lossPercent: 5 } });
    const next = impairmentFromFlags({ dir: 'lab', direction: 'from-device', delay: '200ms' }, current);
    expect(describeImpairment(next)).toEqual(['to-device: loss 5%', 'from-device: delay 200ms']);
    const both = impairmentFromFlags({ dir: 'lab', direction: 'both', duplicate: '1%' }, current);
    expect(describeImpairment(both)).toEqual(['to-device: duplicate 1%', 'from-device: duplicate 1%']);
    expect(impairmentFromFlags({ dir: 'lab', direction: 'both', clear: true }, current)).toEqual({});
  });
});

describe('netops lab impair (no lab needed)', () => {
  const dir = useTempDir('netops-impair-cli-');

  it('refuses bad values with exit 2, and a folder without a lab with a hint', async () => {
    const reorder = await runNetops(['lab', 'impair', 'r1', '--dir', dir, '--reorder', '5%']);
    expect(reorder.code).toBe(2);
    expect(reorder.stderr).toMatch(/reorderPercent needs a delayMs/);
    const sideways = await runNetops([
      'lab',
      'impair',
      'r1',
      '--dir',
      dir,
      '--direction',
      'sideways',
      '--loss',
      '1%',
    ]);
    expect(sideways.code).toBe(2);
    expect(sideways.stderr).toContain('--direction sideways: expected from-device, to-device or both');
    const none = await runNetops(['lab', 'impair', 'r1', '--dir', dir, '--loss', '1%']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`LAB_FAILED: no netns or container lab recorded in ${dir}`);
    expect(none.stderr).toContain('hint: Start one with');
  });
});
