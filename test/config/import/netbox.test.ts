/**
 * The NetBox importer against a stand-in serving NetBox's documented API shape: every page is read
 * through `next`, the token goes in the header NetBox expects (and nowhere else), filters reach the
 * server as NetBox's query parameters, and what cannot be mapped is a problem naming the device.
 */
import { describe, expect, it } from 'vitest';
import { netboxImporter, netboxOptionsSchema } from '../../../src/config/import/netbox.js';
import { resolveSecret } from '../../../src/config/secrets.js';
import { useEnv } from '../../helpers/fixture.js';
import { closedTcpPort } from '../../helpers/tcp-listener.js';
import { startNetboxServer, useNetboxServer, type NetboxDeviceSpec } from '../../helpers/netbox-server.js';

const token = '0123456789abcdef0123456789abcdef01234567';

const devices: NetboxDeviceSpec[] = [
  {
    id: 1,
    name: 'core1',
    site: 'dc1',
    role: 'core',
    platform: 'cisco-ios',
    ip4: '198.18.0.1/32',
    tags: ['backup'],
  },
  {
    id: 2,
    name: 'core2',
    site: 'dc1',
    role: 'core',
    platform: 'cisco-nxos',
    ip6: '2001:DB8:0:0::2/64',
    tags: ['backup'],
  },
  {
    id: 3,
    name: 'edge1',
    site: 'dc2',
    role: 'edge',
    platform: 'frr',
    ip4: '198.18.1.1/24',
    ip6: '2001:db8:1::1/64',
  },
  {
    id: 4,
    name: 'edge2',
    site: 'dc2',
    role: 'edge',
    platform: 'junos',
    ip4: '198.18.1.2/24',
    tags: ['backup', 'lab'],
  },
  {
    id: 5,
    name: 'spare',
    site: 'dc2',
    role: 'edge',
    platform: 'ios',
    ip4: '198.18.1.3/24',
    status: 'offline',
  },
  { id: 6, name: 'noip', site: 'dc3', role: 'access', platform: 'ios' },
  { id: 7, name: null, site: 'dc3', role: 'access', platform: null, ip4: '198.18.2.7/24' },
];

const server = useNetboxServer({ token, devices });

const context = { baseDir: process.cwd(), secret: resolveSecret };
const read = (options: Record<string, unknown>, url = server.url) =>
  netboxImporter.read(url, netboxOptionsSchema.parse(options), context);

describe('NetBox importer', () => {
  useEnv({ NETBOX_TOKEN: token });

  it('reads every page through next, with the token, page size and no config contexts', async () => {
    server.requests.length = 0;
    const result = await read({ pageSize: 3 });
    expect(server.requests.map((r) => [r.path, r.query.get('limit'), r.query.get('offset')])).toEqual([
      ['/api/dcim/devices/', '3', null],
      ['/api/dcim/devices/', '3', '3'],
      ['/api/dcim/devices/', '3', '6'],
    ]);
    for (const r of server.requests) {
      expect(r.method).toBe('GET');
      expect(r.headers.authorization).toBe(`Token ${token}`);
      expect(r.headers.accept).toBe('application/json');
      expect(r.query.get('exclude')).toBe('config_context');
    }
    expect(result.hosts.map((h) => h.name)).toEqual([
      'core1',
      'core2',
      'edge1',
      'edge2',
      'spare',
      'noip',
      'netbox-device-7',
    ]);
  });

  it('maps primary IPs, platform slugs, site/role/tag groups and status', async () => {
    const result = await read({});
    const host = (name: string) => result.hosts.find((h) => h.name === name);
    expect(host('core1')).toMatchObject({
      address: '198.18.0.1',
      platform: 'ios',
      groups: ['site-dc1', 'role-core', 'tag-backup'],
      vars: { netbox: { id: 1, site: 'dc1', role: 'core', status: 'active' } },
      origin: 'netbox dcim.device 1',
    });
    expect(host('core1')?.disabled).toBeUndefined();
    // Without an IPv4 address, NetBox's primary_ip is the IPv6 one, in RFC 5952 form.
    expect(host('core2')).toMatchObject({ address: '2001:db8::2', platform: 'nxos' });
    expect(host('edge1')).toMatchObject({ address: '198.18.1.1', platform: 'frr' });
    expect(host('spare')).toMatchObject({ disabled: true });
    expect(result.groups.map((g) => g.name).sort()).toEqual(
      [
        'role-access',
        'role-core',
        'role-edge',
        'site-dc1',
        'site-dc2',
        'site-dc3',
        'tag-backup',
        'tag-lab',
      ].sort(),
    );
  });

  it('reports what it cannot map, naming the device, and keeps the host', async () => {
    const result = await read({});
    // Every problem, in the order of the devices: nothing else is reported, nothing is left out.
    expect(result.problems.map((p) => `${p.origin} [${p.host}] ${p.message}`)).toEqual([
      'netbox dcim.device 4 [edge2] NetBox platform "junos" of edge2 has no netops platform; imported without one',
      'netbox dcim.device 6 [noip] noip has no primary_ip in NetBox; imported without an address',
      'netbox dcim.device 7 [netbox-device-7] device 7 has no name in NetBox; imported as netbox-device-7',
      'netbox dcim.device 7 [netbox-device-7] netbox-device-7 has no platform in NetBox; imported without one',
    ]);
    expect(result.hosts.find((h) => h.name === 'noip')).toMatchObject({
      address: undefined,
      platform: 'ios',
    });
    // A user map wins: junos is not driven by netops, but the map says what to use.
    const mapped = await read({ platformMap: { junos: 'frr' } });
    expect(mapped.hosts.find((h) => h.name === 'edge2')?.platform).toBe('frr');
  });

  it('sends site and role as any-of, tags as all-of, and NetBox filters them', async () => {
    server.requests.length = 0;
    const result = await read({ site: ['dc1', 'dc2'], role: 'edge', tag: ['backup', 'lab'] });
    const [request] = server.requests;
    expect(request?.query.getAll('site')).toEqual(['dc1', 'dc2']);
    expect(request?.query.getAll('role')).toEqual(['edge']);
    expect(request?.query.getAll('tag')).toEqual(['backup', 'lab']);
    expect(result.hosts.map((h) => h.name)).toEqual(['edge2']);
  });

  it('takes IPv4 or IPv6 as asked', async () => {
    const v6 = await read({ address: 'ipv6' });
    expect(v6.hosts.find((h) => h.name === 'edge1')?.address).toBe('2001:db8:1::1');
    expect(v6.hosts.find((h) => h.name === 'core1')?.address).toBeUndefined();
    expect(v6.problems.map((p) => p.message)).toContain(
      'core1 has no primary_ip6 in NetBox; imported without an address',
    );
  });

  it('says so when NetBox cannot be reached, and that nothing was read', async () => {
    const closed = await closedTcpPort();
    const { port } = closed;
    const error = (await read({}, `http://127.0.0.1:${port}`)
      .catch((e: unknown) => e)
      .finally(() => closed.close())) as Error & { code: string; hint: string };
    expect(error.code).toBe('CONFIG_UNREADABLE');
    expect(error.message).toBe(`cannot reach NetBox at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(error.hint).toContain('from this machine');
  });

  it('says what NetBox refused: an unknown slug names the filter', async () => {
    const error = (await read({ site: 'nowhere' }).catch((e: unknown) => e)) as Error & {
      code: string;
      hint: string;
    };
    expect(error.code).toBe('CONFIG_UNREADABLE');
    expect(error.message).toContain('HTTP 400');
    expect(error.message).toContain(
      'site: Select a valid choice. nowhere is not one of the available choices.',
    );
    expect(error.hint).toContain('slugs');
  });
});

describe('NetBox importer, tokens', () => {
  useEnv({
    WRONG_TOKEN: 'ffffffffffffffffffffffffffffffffffffffff',
    V2_TOKEN: 'nbt_abcdefghijkl.0123456789abcdefghijklmnopqrstuvwxyzABCD',
  });

  it('asks anonymously without a token, and says how to give one when NetBox refuses', async () => {
    server.requests.length = 0;
    const error = await read({}).catch((e: unknown) => e);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(error).toMatchObject({
      code: 'CONFIG_UNREADABLE',
      message: expect.stringContaining('Authentication credentials were not provided'),
      hint: expect.stringContaining('NETBOX_TOKEN'),
    });
  });

  it('never shows the token in an error', async () => {
    const error = (await read({ token: { env: 'WRONG_TOKEN' } }).catch((e: unknown) => e)) as Error & {
      hint: string;
    };
    expect(error.message).toContain('Invalid token');
    expect(`${error.message} ${error.hint}`).not.toContain('ffffffff');
  });

  it('sends a v2 token (nbt_KEY.SECRET) as Bearer', async () => {
    const v2 = await startNetboxServer({ token: process.env['V2_TOKEN']!, devices: devices.slice(0, 1) });
    try {
      const result = await read({ token: { env: 'V2_TOKEN' } }, `${v2.url}/api/`);
      expect(v2.requests[0]?.headers.authorization).toBe(`Bearer ${process.env['V2_TOKEN']}`);
      expect(result.hosts.map((h) => h.name)).toEqual(['core1']);
    } finally {
      await v2.close();
    }
  });

  it('follows next links on the host it was given: the token never goes to the host a link names', async () => {
    const proxied = await startNetboxServer({ token, devices, linkBase: 'http://netbox.invalid:9' });
    try {
      const result = await netboxImporter.read(
        proxied.url,
        netboxOptionsSchema.parse({ pageSize: 2, token: { env: 'T' } }),
        { ...context, secret: async () => token },
      );
      expect(result.hosts).toHaveLength(devices.length);
      expect(proxied.requests.map((r) => r.query.get('offset'))).toEqual([null, '2', '4', '6']);
    } finally {
      await proxied.close();
    }
  });
});
