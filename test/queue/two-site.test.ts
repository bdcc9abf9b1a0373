/**
 * Scale-out across sites, through the CLI as an operator runs it: a real redis-server, three workers
 * as separate processes (site `a` and site `b` each in its own lab namespace with its own TFTP
 * address and devices only it reaches, `hq` on the host), and `netops run --queue` on the host
 * writing the one store. Every lab device is backed up with each method; hosts of a site without a
 * worker fail with a reason naming the site while the others succeed.
 */
import { describe, expect, it } from 'vitest';
import { scaleAddresses } from '../../src/lab/netns/addressing.js';
import { inNs } from '../lab/netns/helpers.js';
import { useTwoSites } from './two-site.js';

const t = useTwoSites('netops-queue-sites-');

describe('the two-site topology', () => {
  it('lets each site reach its own devices and redis, and nothing else', async () => {
    const { a, b } = t.sites;
    const ping = (ns: string | undefined, address: string) =>
      ns ? inNs(ns, ['ping', '-c', '1', '-W', '2', address]) : Promise.resolve({ code: -1 });
    for (const site of [a, b]) {
      const pong = await inNs(site.namespace!, ['redis-cli', '-p', String(t.redis.port), 'PING']);
      expect(pong.stdout.trim(), `${site.name}: ${pong.stderr}`).toBe('PONG');
      expect((await ping(site.namespace, '198.18.0.10')).code).toBe(0);
    }
    // No route out of a site: the other site's scale range and the host's networks are unreachable.
    const out = await inNs(a.namespace!, ['ping', '-c', '1', '-W', '1', scaleAddresses(0).ipv4]);
    expect(out.code).not.toBe(0);
    expect(a.hosts).toEqual(['a1', 'a1-v6', 'a2', 'a2-v6']);
    expect(t.orphans).toEqual(['r1', 'r1-v6']);
  });
});
