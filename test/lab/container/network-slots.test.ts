/**
 * Two container labs choosing a network slot at the same moment get different ones (root, podman):
 * podman refuses a subnet in use, and the lab it refused takes the next slot. The race made
 * certain: two claims that both pick before either creates its network. (Two whole `lab up` at
 * once: two-labs.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { labNetwork, type LabNetwork } from '../../../src/lab/container/addressing.js';
import { claimLabNetwork, removeNetworks } from '../../../src/lab/container/network.js';
import { networkSubnets } from '../../helpers/container-lab.js';

const tag = process.pid.toString(16);
const claimed = [`nolab-t${tag}a`, `nolab-t${tag}b`];

afterAll(async () => {
  await removeNetworks(claimed);
});

describe('container lab network slots', () => {
  it('gives two claims that picked the same slot different networks', async () => {
    const picks: number[][] = [[], []];
    let arrived = 0;
    let open = () => {};
    const bothPicked = new Promise<void>((resolve) => (open = resolve));
    const prepare = (who: 0 | 1) => async (network: LabNetwork) => {
      picks[who]?.push(network.slot);
      if (++arrived === 2) open();
      await bothPicked;
      return network;
    };
    const [a, b] = await Promise.all([
      claimLabNetwork(claimed[0] ?? '', `t${tag}a`, prepare(0)),
      claimLabNetwork(claimed[1] ?? '', `t${tag}b`, prepare(1)),
    ]);
    expect(picks[0]?.[0]).toBe(picks[1]?.[0]);
    expect(a.slot).not.toBe(b.slot);
    // The one podman refused tried once more, past the slot taken.
    expect((picks[0]?.length ?? 0) + (picks[1]?.length ?? 0)).toBe(3);
    for (const [name, network] of [
      [claimed[0] ?? '', a],
      [claimed[1] ?? '', b],
    ] as const) {
      const { subnet } = labNetwork(network.slot);
      expect(await networkSubnets(name)).toBe(`${subnet.ipv4} ${subnet.ipv6}`);
    }
    await removeNetworks(claimed);
  });
});
