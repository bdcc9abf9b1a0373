/**
 * The netns lab's plan as data: the example spec loads, bad specs say what is wrong, the address
 * plan stays inside the documentation ranges, and links and routes are what `ip` gets.
 */
import { describe, expect, it } from 'vitest';
import { isNetopsError } from '../../../src/core/errors.js';
import {
  deviceAddresses,
  ipv4AsTopBits,
  loopbackAddresses,
  scaleAddresses,
} from '../../../src/lab/netns/addressing.js';
import { loadNetnsSpec, parseNetnsSpec } from '../../../src/lab/netns/spec.js';
import { attachmentLines, portLines, routeLines } from '../../../src/lab/netns/topology.js';

describe('netns lab plan', () => {
  it('loads the documented example spec', async () => {
    const spec = await loadNetnsSpec('docs/examples/lab-netns.yaml');
    expect(spec.devices.map((d) => `${d.name}:${d.platform}`)).toEqual([
      'r1:ios',
      'r2:ios',
      'n1:nxos',
      'f1:frr',
      'f2:frr',
    ]);
    expect(spec.devices[1]?.impair).toEqual({
      fromDevice: { delayMs: 50, jitterMs: 5, lossPercent: 0, duplicatePercent: 0, reorderPercent: 0 },
    });
  });

  it('rejects duplicate names and BGP neighbours that are not frr devices, naming them', () => {
    const error: unknown = (() => {
      try {
        return parseNetnsSpec({
          devices: [
            { name: 'r1', platform: 'ios' },
            { name: 'r1', platform: 'frr', bgpNeighbors: ['r1'] },
          ],
        });
      } catch (e) {
        return e;
      }
    })();
    expect(isNetopsError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('device name r1 is used twice');
    expect((error as Error).message).toContain('r1: BGP neighbours must be frr devices');
  });

  it('keeps every address in 198.18.0.0/15 and 2001:db8::/32, and derives the IOS v4-in-v6 source', () => {
    for (const a of [
      deviceAddresses(0),
      deviceAddresses(499),
      loopbackAddresses(0),
      loopbackAddresses(499),
      scaleAddresses(0),
      scaleAddresses(29_999),
    ]) {
      expect(a.ipv4).toMatch(/^198\.1[89]\./);
      expect(a.ipv6).toMatch(/^2001:db8:/);
    }
    expect(loopbackAddresses(0).ipv4).toBe('198.18.254.1');
    expect(ipv4AsTopBits('198.18.254.1')).toBe('c612:fe01::');
    expect(ipv4AsTopBits('10.254.254.1')).toBe('afe:fe01::');
  });

  it('wires a device with a veth on the bridge, loopbacks routed from management, the quirk address unrouted', () => {
    const a = {
      namespace: 'nolab-x-r1',
      port: 'd0',
      addresses: deviceAddresses(0),
      loopbacks: ['198.18.254.1', '2001:db8:0:ff::1'],
      unrouted: ['c612:fe01::'],
    };
    expect(portLines(a)).toEqual([
      'link add d0 type veth peer name eth0 netns nolab-x-r1',
      'link set d0 master br0',
      'link set d0 up',
    ]);
    expect(routeLines(a)).toEqual([
      'route add 198.18.254.1/32 via 198.18.0.10',
      'route add 2001:db8:0:ff::1/128 via 2001:db8:0:1::a',
    ]);
    expect(attachmentLines(a)).toContain('addr add c612:fe01::/128 dev lo');
    expect(
      [...portLines(a), ...routeLines(a), ...attachmentLines(a)].some((line) =>
        /default|0\.0\.0\.0\/0|::\/0/.test(line),
      ),
    ).toBe(false);
  });
});
