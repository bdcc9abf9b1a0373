/**
 * A stand-in for NetBox's REST API on 127.0.0.1, serving `/api/dcim/devices/` the way NetBox
 * documents it: token in `Authorization` (`Token` or `Bearer`), pages of `{ count, next, previous,
 * results }` with `limit`/`offset` and absolute `next` links, filters `site` and `role` (any of the
 * values) and `tag` (all of them), 400 for an unknown slug and 403 without a valid token. Every
 * request is logged so tests can assert what the importer asked.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useStarted } from './fixture.js';

export interface NetboxDeviceSpec {
  readonly id: number;
  readonly name: string | null;
  readonly site: string;
  readonly role: string;
  /** A platform slug, or null for none. */
  readonly platform: string | null;
  readonly ip4?: string;
  readonly ip6?: string;
  readonly tags?: readonly string[];
  /** @default 'active' */
  readonly status?: string;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

export interface NetboxServerOptions {
  readonly token: string;
  readonly devices: readonly NetboxDeviceSpec[];
  /** The scheme and host written in `next` links (a proxy that rewrites them). @default the server's own */
  readonly linkBase?: string;
}

export interface NetboxServer {
  readonly url: string;
  readonly requests: LoggedRequest[];
  close(): Promise<void>;
}

export async function startNetboxServer(options: NetboxServerOptions): Promise<NetboxServer> {
  const requests: LoggedRequest[] = [];
  let own = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', own);
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    });
    const { status, body } = answer(url, req.headers, options, options.linkBase ?? own);
    res.writeHead(status, { 'Content-Type': 'application/json', 'API-Version': '4.2' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  own = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: own,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A NetBox stand-in started before the file's tests and closed after them. */
export function useNetboxServer(options: NetboxServerOptions | (() => NetboxServerOptions)): NetboxServer {
  return useStarted(() => startNetboxServer(typeof options === 'function' ? options() : options));
}

function answer(
  url: URL,
  headers: IncomingHttpHeaders,
  options: NetboxServerOptions,
  linkBase: string,
): { status: number; body: unknown } {
  const auth = headers.authorization;
  if (auth === undefined)
    return { status: 403, body: { detail: 'Authentication credentials were not provided.' } };
  const [keyword, token] = auth.split(' ');
  if ((keyword !== 'Token' && keyword !== 'Bearer') || token !== options.token)
    return { status: 403, body: { detail: 'Invalid token' } };
  if (url.pathname !== '/api/dcim/devices/') return { status: 404, body: { detail: 'Not found.' } };
  const q = url.searchParams;
  for (const field of ['site', 'role'] as const) {
    const unknown = q.getAll(field).find((slug) => !options.devices.some((d) => d[field] === slug));
    if (unknown !== undefined)
      return {
        status: 400,
        body: { [field]: [`Select a valid choice. ${unknown} is not one of the available choices.`] },
      };
  }
  const matching = options.devices.filter(
    (d) =>
      (q.getAll('site').length === 0 || q.getAll('site').includes(d.site)) &&
      (q.getAll('role').length === 0 || q.getAll('role').includes(d.role)) &&
      q.getAll('tag').every((t) => d.tags?.includes(t)),
  );
  const limit = Math.min(Number(q.get('limit') ?? 50) || 50, 1000);
  const offset = Number(q.get('offset') ?? 0);
  const link = (at: number) => {
    const next = new URL(url.pathname, linkBase);
    for (const [k, v] of q) if (k !== 'offset') next.searchParams.append(k, v);
    next.searchParams.set('offset', String(at));
    return next.href;
  };
  return {
    status: 200,
    body: {
      count: matching.length,
      next: offset + limit < matching.length ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      results: matching.slice(offset, offset + limit).map((d) => deviceJson(d, linkBase)),
    },
  };
}

/** A device in NetBox's documented shape (4.x), nested objects as NetBox nests them. */
function deviceJson(d: NetboxDeviceSpec, base: string): unknown {
  const nested = (kind: string, id: number, slug: string) => ({
    id,
    url: `${base}/api/dcim/${kind}/${id}/`,
    display: slug,
    name: slug,
    slug,
  });
  const ip = (address: string | undefined, family: 4 | 6, id: number) =>
    address === undefined
      ? null
      : {
          id,
          url: `${base}/api/ipam/ip-addresses/${id}/`,
          display: address,
          family: { value: family, label: `IPv${family}` },
          address,
        };
  const ip4 = ip(d.ip4, 4, d.id * 10 + 4);
  const ip6 = ip(d.ip6, 6, d.id * 10 + 6);
  const status = d.status ?? 'active';
  return {
    id: d.id,
    url: `${base}/api/dcim/devices/${d.id}/`,
    display: d.name ?? `Unnamed device (${d.id})`,
    name: d.name,
    device_type: {
      id: 1,
      display: 'ISR4331',
      manufacturer: { id: 1, name: 'Cisco', slug: 'cisco' },
      model: 'ISR4331',
      slug: 'isr4331',
    },
    role: nested('device-roles', 1, d.role),
    platform: d.platform === null ? null : nested('platforms', 1, d.platform),
    site: nested('sites', 1, d.site),
    status: { value: status, label: status[0]!.toUpperCase() + status.slice(1) },
    primary_ip: ip4 ?? ip6,
    primary_ip4: ip4,
    primary_ip6: ip6,
    tags: (d.tags ?? []).map((slug, i) => ({
      id: i + 1,
      url: `${base}/api/extras/tags/${i + 1}/`,
      display: slug,
      name: slug,
      slug,
      color: '9e9e9e',
    })),
    custom_fields: {},
    created: '2026-01-05T10:00:00Z',
    last_updated: '2026-01-05T10:00:00Z',
  };
}
