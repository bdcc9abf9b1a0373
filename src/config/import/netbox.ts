/**
 * NetBox as an inventory source: the devices of `/api/dcim/devices/` (filtered by site, role and
 * tag slugs), each with its primary IP, its platform slug mapped to a netops platform, and groups
 * for its site, role and tags. A device NetBox does not mark `active` is imported disabled; a device
 * without a primary IP or platform is imported with a problem naming it (`netbox dcim.device ID`).
 */
import path from 'node:path';
import { z } from 'zod';
import { normalizeAddress } from '../../net/address.js';
import { ImportCollector } from './collector.js';
import type { ImportedHost } from './imported.js';
import type { ImportContext, Importer } from './importer.js';
import { netboxList } from './netbox-api.js';
import { mapPlatform, type PlatformTable } from './platform-map.js';

const slugs = z
  .union([z.string().min(1), z.array(z.string().min(1))], { error: 'expected a slug or a list of slugs' })
  .transform((value) => [value].flat());

export const netboxOptionsSchema = z.strictObject({
  /** The API token; without it NETBOX_TOKEN is used when set, else NetBox is asked anonymously. */
  token: z
    .union([z.strictObject({ env: z.string().min(1) }), z.strictObject({ file: z.string().min(1) })], {
      error: 'expected { env: NAME } or { file: PATH } (a token is never written in a file netops reads)',
    })
    .optional(),
  /** Only devices at these sites (any of them). */
  site: slugs.optional(),
  /** Only devices with these roles (any of them). */
  role: slugs.optional(),
  /** Only devices with all of these tags. */
  tag: slugs.optional(),
  /** Which primary IP becomes the address: NetBox's own choice (`primary_ip`), or one family. */
  address: z.enum(['primary', 'ipv4', 'ipv6']).default('primary'),
  /** Devices per request (NetBox caps it at its MAX_PAGE_SIZE, 1000 by default). */
  pageSize: z.int().min(1).max(1000).default(100),
  /** NetBox platform slug -> netops platform, looked at before the built-in table. */
  platformMap: z.record(z.string(), z.string()).optional(),
});

export type NetboxOptions = z.output<typeof netboxOptionsSchema>;

/** Platform slugs as NetBox installations commonly name them. */
const platformTable: PlatformTable = {
  ios: 'ios',
  'cisco-ios': 'ios',
  'ios-xe': 'ios',
  'cisco-ios-xe': 'ios',
  'cisco-iosxe': 'ios',
  nxos: 'nxos',
  'nx-os': 'nxos',
  'cisco-nxos': 'nxos',
  'cisco-nx-os': 'nxos',
  frr: 'frr',
  frrouting: 'frr',
};

/** The parts of a device NetBox documents that the import reads; the rest is ignored. */
const namedObject = z.looseObject({
  id: z.number().optional(),
  slug: z.string(),
  name: z.string().optional(),
});
const ipObject = z.looseObject({ address: z.string() });
const deviceSchema = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  status: z.looseObject({ value: z.string() }).nullish(),
  site: namedObject.nullish(),
  role: namedObject.nullish(),
  /** Before NetBox 3.6 the role was `device_role`. */
  device_role: namedObject.nullish(),
  platform: namedObject.nullish(),
  primary_ip: ipObject.nullish(),
  primary_ip4: ipObject.nullish(),
  primary_ip6: ipObject.nullish(),
  tags: z.array(namedObject).nullish(),
});
type Device = z.output<typeof deviceSchema>;

export const netboxImporter: Importer<NetboxOptions> = {
  name: 'netbox',
  summary: 'NetBox devices through its REST API (SOURCE is the NetBox URL)',
  source: 'url',
  options: netboxOptionsSchema,
  async read(url, options, context) {
    const devices = await netboxList({
      base: url,
      endpoint: 'dcim/devices/',
      query: {
        limit: String(options.pageSize),
        // Rendered config contexts can be large and are not read here.
        exclude: 'config_context',
        ...(options.site ? { site: options.site } : {}),
        ...(options.role ? { role: options.role } : {}),
        ...(options.tag ? { tag: options.tag } : {}),
      },
      token: await token(options, context),
    });
    const collector = new ImportCollector(`netbox ${url}`);
    for (const [i, raw] of devices.entries()) {
      const device = deviceSchema.safeParse(raw);
      if (device.success) addDevice(device.data, options, collector);
      else
        collector.problem({
          origin: `netbox device #${i + 1} of the list`,
          message: `not a NetBox device: ${device.error.issues[0]?.path.join('.') ?? ''} ${device.error.issues[0]?.message ?? ''}`,
          hint: 'Check that the URL is a NetBox server and its API version is 3.x or later.',
        });
    }
    return collector.result();
  },
};

async function token(options: NetboxOptions, context: ImportContext): Promise<string | undefined> {
  const ref = options.token;
  if (ref === undefined)
    return process.env['NETBOX_TOKEN'] === undefined ? undefined : context.secret({ env: 'NETBOX_TOKEN' });
  return context.secret('file' in ref ? { file: path.resolve(context.baseDir, ref.file) } : ref);
}

function addDevice(device: Device, options: NetboxOptions, collector: ImportCollector): void {
  const origin = `netbox dcim.device ${device.id}`;
  const name = collector.name(device.name || `netbox-device-${device.id}`, origin, 'host', !device.name);
  if (!device.name)
    collector.problem({
      origin,
      host: name,
      message: `device ${device.id} has no name in NetBox; imported as ${name}`,
      hint: 'Name the device in NetBox, or keep the generated name.',
    });
  const role = device.role ?? device.device_role;
  const groups: string[] = [];
  /** A group per site, role and tag: `site-dc1`, its origin the NetBox object (`netbox dcim.site 3`). */
  const group = (
    prefix: string,
    model: string,
    object: { id?: number | undefined; slug: string } | null | undefined,
  ) => {
    if (!object) return;
    const groupName = collector.name(`${prefix}-${object.slug}`, origin, 'group');
    collector.group(groupName, `netbox ${model} ${object.id ?? object.slug}`);
    groups.push(groupName);
  };
  group('site', 'dcim.site', device.site);
  group('role', 'dcim.devicerole', role);
  for (const tag of device.tags ?? []) group('tag', 'extras.tag', tag);
  const status = device.status?.value;
  const host: ImportedHost = {
    name,
    address: address(device, options, { collector, origin, host: name }),
    ...platformOf(device, options, { collector, origin, host: name }),
    groups,
    vars: {
      netbox: {
        id: device.id,
        ...(device.site ? { site: device.site.slug } : {}),
        ...(role ? { role: role.slug } : {}),
        ...(status ? { status } : {}),
      },
    },
    ...(status !== undefined && status !== 'active' ? { disabled: true } : {}),
    origin,
  };
  collector.host(host);
}

interface At {
  readonly collector: ImportCollector;
  readonly origin: string;
  readonly host: string;
}

/** The chosen primary IP without its prefix length, in RFC 5952 form. */
function address(device: Device, options: NetboxOptions, at: At): string | undefined {
  const field = { primary: 'primary_ip', ipv4: 'primary_ip4', ipv6: 'primary_ip6' }[options.address] as
    'primary_ip' | 'primary_ip4' | 'primary_ip6';
  const ip = device[field]?.address;
  const found = ip === undefined ? undefined : normalizeAddress(ip.replace(/\/\d+$/, ''));
  if (found === undefined)
    at.collector.problem({
      origin: at.origin,
      host: at.host,
      message:
        ip === undefined
          ? `${at.host} has no ${field} in NetBox; imported without an address`
          : `${at.host} has ${field} "${ip}", not an IP address; imported without an address`,
      hint:
        options.address === 'primary'
          ? 'Set the primary IP of the device in NetBox.'
          : `Set the device's ${field} in NetBox, or import with address: primary.`,
    });
  return found;
}

function platformOf(device: Device, options: NetboxOptions, at: At): { platform?: string } {
  const slug = device.platform?.slug;
  if (slug === undefined) {
    at.collector.problem({
      origin: at.origin,
      host: at.host,
      message: `${at.host} has no platform in NetBox; imported without one`,
      hint: "Set the device's platform in NetBox, or set the host's platform in the inventory.",
    });
    return {};
  }
  const lookup = {
    table: platformTable,
    field: 'NetBox platform',
    ...(options.platformMap ? { overrides: options.platformMap } : {}),
  };
  const platform = mapPlatform(slug, lookup, at);
  return platform === undefined ? {} : { platform };
}
