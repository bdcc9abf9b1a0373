/**
 * The project's own schema of a containerlab topology definition file (`*.clab.yml`), written from
 * containerlab's documentation of the format as of release 0.60 (containerlab.dev/manual/topo-def-file,
 * /manual/nodes, /manual/network, and the published schemas/clab.schema.json read for facts): a `name`, an optional `prefix` and `mgmt` network, and under
 * `topology` the `nodes` (by name), `kinds`, `defaults` and `links`. It covers the node properties a
 * `linux` node uses; anything else is refused by name, so a typo is caught instead of ignored by
 * containerlab. Beyond the shapes it checks what containerlab only finds at deploy time: management
 * addresses inside the management subnets and used once, links naming nodes of the file, and an
 * interface used by one link only.
 */
import { z } from 'zod';
import { NetopsError } from '../../core/errors.js';
import { parseIPv4, parseIPv6 } from '../../net/address.js';
import { cidrContains, parseCidr, type Cidr } from '../../net/cidr.js';

/** The containerlab release whose documented topology format this schema follows. */
export const containerlabVersion = '0.60';

const ipv4 = z.string().refine((text) => parseIPv4(text) !== undefined, 'an IPv4 address, like 198.18.0.10');
const ipv6 = z
  .string()
  .refine((text) => parseIPv6(text) !== undefined, 'an IPv6 address, like 2001:db8:0:1::a');
/** A prefix written ADDRESS/LENGTH, or undefined for anything else. */
function prefix(text: string): Cidr | undefined {
  try {
    return text.includes('/') ? parseCidr(text) : undefined;
  } catch {
    return undefined;
  }
}
const prefixOf = (family: 4 | 6) =>
  z
    .string()
    .refine((text) => prefix(text)?.family === family, `an IPv${family} prefix written ADDRESS/LENGTH`);

/** Node and lab names: containerlab makes container names `clab-LAB-NODE` of them. */
const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, dots, dashes and underscores')
  .max(60);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** `NODE:INTERFACE`, the brief form of a link endpoint. */
const endpointText = z.string().regex(/^[^:\s]+:\S+$/, 'NODE:INTERFACE, like r1:eth1');

export const containerlabNodeSchema = z
  .object({
    kind: z.string().min(1).describe('node kind; netops exports `linux` nodes'),
    image: z.string().min(1).describe('container image'),
    'image-pull-policy': z.enum(['always', 'never', 'IfNotPresent', 'Always', 'Never', 'ifnotpresent']),
    type: z.string(),
    group: z.string().describe('free-form group, used when graphing'),
    labels: z.record(z.string(), scalar),
    env: z.record(z.string(), scalar),
    binds: z.array(z.string().regex(/^[^:]+:[^:]+(:(ro|rw|z|Z|ro,z|ro,Z))?$/, 'HOST:CONTAINER[:ro]')),
    ports: z.array(z.string()),
    exec: z.array(z.string()).min(1),
    cmd: z.string(),
    entrypoint: z.string(),
    user: z.union([z.string(), z.number()]),
    'mgmt-ipv4': ipv4.describe('IPv4 address on the management network'),
    'mgmt-ipv6': ipv6.describe('IPv6 address on the management network'),
    'network-mode': z.string().regex(/^(host|none|container:\S+)$/, 'host, none or container:NAME'),
    'startup-config': z.string(),
    'startup-delay': z.number().int().min(0),
    cpu: z.number().int().positive(),
    memory: z.string().regex(/^\d+(\.\d+)?[bkmgBKMG]?[bB]?$/, 'a size like 256MB or 1Gb'),
  })
  .partial()
  .strict();

const extendedEndpoint = z
  .object({ node: name, interface: z.string().min(1), mac: z.string().optional() })
  .strict();
/** A veth link: the brief form (`endpoints: [r1:eth1, r2:eth1]`) or the extended one (`type: veth`). */
const link = z
  .object({
    type: z.literal('veth').optional(),
    endpoints: z
      .array(
        z.union([endpointText, extendedEndpoint], {
          error: 'NODE:INTERFACE (like r1:eth1), or { node, interface }',
        }),
      )
      .length(2, 'two endpoints'),
    mtu: z.number().int().min(68).optional(),
  })
  .strict();

export const containerlabMgmtSchema = z
  .object({
    network: z.string().min(1).describe('name of the management network the runtime creates'),
    bridge: z.string().max(15),
    'ipv4-subnet': prefixOf(4),
    'ipv6-subnet': prefixOf(6),
    'ipv4-gw': ipv4,
    'ipv6-gw': ipv6,
    'ipv4-range': prefixOf(4),
    'ipv6-range': prefixOf(6),
    mtu: z.number().int().min(68).max(65_535),
    'external-access': z.boolean(),
  })
  .partial()
  .strict();

const topologySchema = z
  .object({
    nodes: z.record(name, containerlabNodeSchema.nullable()),
    kinds: z.record(z.string(), containerlabNodeSchema).optional(),
    defaults: containerlabNodeSchema.optional(),
    links: z.array(link).optional(),
  })
  .strict();

const topologyFileShape = z
  .object({
    name,
    prefix: z.string().optional(),
    mgmt: containerlabMgmtSchema.optional(),
    topology: topologySchema,
  })
  .strict();

export type ContainerlabTopology = z.infer<typeof topologyFileShape>;
export type ContainerlabNode = z.infer<typeof containerlabNodeSchema>;
type Issue = { path: (string | number)[]; message: string };

/**
 * The node and interface of each well-formed end of a link, in either form. Refinements run on
 * input that failed its shape too (zod reports every problem at once), so malformed ends are left
 * to the shape's own message.
 */
function linkEnds(link: NonNullable<ContainerlabTopology['topology']['links']>[number]) {
  const ends = Array.isArray(link.endpoints) ? (link.endpoints as unknown[]) : [];
  return ends.map((end) => {
    if (typeof end === 'string') {
      const colon = end.indexOf(':');
      return colon > 0 ? { node: end.slice(0, colon), iface: end.slice(colon + 1) } : undefined;
    }
    const { node, interface: iface } = (end ?? {}) as { node?: unknown; interface?: unknown };
    return typeof node === 'string' && typeof iface === 'string' ? { node, iface } : undefined;
  });
}

function linkIssues(topology: ContainerlabTopology['topology']): Issue[] {
  const issues: Issue[] = [];
  const used = new Map<string, number>();
  (topology.links ?? []).forEach((link, i) => {
    linkEnds(link).forEach((end, j) => {
      if (!end) return;
      const { node, iface } = end;
      const path = ['topology', 'links', i, 'endpoints', j];
      if (!(node in topology.nodes)) issues.push({ path, message: `node ${node} is not in topology.nodes` });
      const key = `${node}:${iface}`;
      const first = used.get(key);
      if (first !== undefined) issues.push({ path, message: `${key} is already used by link ${first}` });
      else used.set(key, i);
    });
  });
  return issues;
}

function addressIssues(file: ContainerlabTopology): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, string>();
  for (const [nodeName, node] of Object.entries(file.topology.nodes)) {
    for (const family of [4, 6] as const) {
      const address = node?.[`mgmt-ipv${family}`];
      if (address === undefined) continue;
      const path = ['topology', 'nodes', nodeName, `mgmt-ipv${family}`];
      const subnet = file.mgmt?.[`ipv${family}-subnet`];
      const cidr = subnet === undefined ? undefined : prefix(subnet);
      if (cidr && !cidrContains(cidr, address))
        issues.push({ path, message: `${address} is outside mgmt.ipv${family}-subnet ${subnet}` });
      const owner = seen.get(address);
      if (owner) issues.push({ path, message: `${address} is also the address of node ${owner}` });
      else seen.set(address, nodeName);
    }
  }
  return issues;
}

export const containerlabTopologySchema = topologyFileShape.superRefine((file, ctx) => {
  for (const issue of [...linkIssues(file.topology), ...addressIssues(file)])
    ctx.addIssue({ code: 'custom', ...issue });
});

/** `topology.nodes.r1.mgmt-ipv4`: the path of a problem as a user finds it in the YAML. */
export const issuePath = (path: readonly PropertyKey[]): string =>
  path.length ? path.map(String).join('.') : '(top)';

/**
 * Checks a parsed topology file; throws CONFIG_INVALID naming the path of every problem, so a
 * hand-edited export fails here rather than half-way through `containerlab deploy`.
 */
export function checkContainerlabTopology(
  input: unknown,
  file = 'containerlab topology',
): ContainerlabTopology {
  const result = containerlabTopologySchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`);
  throw new NetopsError('CONFIG_INVALID', `${file}: ${problems.join('; ')}`, {
    hint: `The file does not follow containerlab's topology format (release ${containerlabVersion}); docs/lab-container.md shows an exported one.`,
    details: { problems },
  });
}
