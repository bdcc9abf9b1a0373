/**
 * Reading one list endpoint of NetBox's REST API to its end: `GET` with the token in the
 * `Authorization` header, then each page's `next` link until it is null (the paginated shape NetBox
 * documents: `{ count, next, previous, results }`). The token goes only to the URL the user gave:
 * a `next` link naming another host (a proxy in front of NetBox that rewrites the scheme or name)
 * is followed on the user's host, with the link's path and query.
 */
import { NetopsError } from '../../core/errors.js';

export interface NetboxListRequest {
  /** The NetBox base URL, e.g. `https://netbox.example.com` (a trailing `/api` is accepted). */
  readonly base: string;
  /** The endpoint below `/api/`, e.g. `dcim/devices/`. */
  readonly endpoint: string;
  /** Query parameters; a list gives the parameter once per value (NetBox ORs sites, ANDs tags). */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** The API token, or undefined to ask anonymously (NetBox with `LOGIN_REQUIRED = False`). */
  readonly token: string | undefined;
  /** Per request. @default 60_000 */
  readonly timeoutMs?: number;
}

interface Page {
  readonly count?: number;
  readonly next: string | null;
  readonly results: readonly unknown[];
}

/** Every object of the list, in NetBox's order. */
export async function netboxList(request: NetboxListRequest): Promise<unknown[]> {
  const base = apiRoot(request.base);
  let url: URL | undefined = new URL(request.endpoint, base);
  for (const [key, value] of Object.entries(request.query))
    for (const v of [value].flat()) url.searchParams.append(key, v);
  const results: unknown[] = [];
  const seen = new Set<string>();
  while (url) {
    if (seen.has(url.href)) throw unreadable(`NetBox's next link repeats ${url.href}`, base);
    seen.add(url.href);
    const page = await fetchPage(url, request);
    results.push(...page.results);
    url = page.next === null ? undefined : onUserHost(page.next, base);
  }
  return results;
}

/** The API root (`.../api/`) of a base URL given with or without `/api`. */
export function apiRoot(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new NetopsError('CONFIG_INVALID', `"${base}" is not a URL`, {
      hint: 'Give the NetBox base URL, e.g. https://netbox.example.com.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new NetopsError('CONFIG_INVALID', `"${base}" is not an http(s) URL`, {
      hint: 'Give the NetBox base URL, e.g. https://netbox.example.com.',
    });
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return new URL(`${path}/api/`, url.origin);
}

/** The `next` link's path and query on the user's scheme, host and port. */
function onUserHost(next: string, base: URL): URL {
  const link = new URL(next, base);
  return new URL(`${link.pathname}${link.search}`, base.origin);
}

async function fetchPage(url: URL, request: NetboxListRequest): Promise<Page> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.token !== undefined) headers['Authorization'] = authorization(request.token);
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(request.timeoutMs ?? 60_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw unreadable(`cannot reach NetBox at ${url.origin} (${cause})`, url);
  }
  const text = await response.text();
  if (!response.ok) throw refused(response.status, text, url, request.token !== undefined);
  let page: unknown;
  try {
    page = JSON.parse(text);
  } catch {
    throw unreadable(`${url.href} did not answer JSON (HTTP ${response.status})`, url);
  }
  if (!isPage(page)) throw unreadable(`${url.href} did not answer a NetBox list ({ next, results })`, url);
  return page;
}

/**
 * NetBox's header for a token: v2 tokens (NetBox 4.5 and later, `nbt_KEY.SECRET`) go as `Bearer`,
 * older 40-hex-digit v1 tokens as `Token`.
 */
export function authorization(token: string): string {
  return token.startsWith('nbt_') ? `Bearer ${token}` : `Token ${token}`;
}

function isPage(value: unknown): value is Page {
  const page = value as Partial<Page> | null;
  return (
    typeof page === 'object' &&
    page !== null &&
    Array.isArray(page.results) &&
    (page.next === null || typeof page.next === 'string')
  );
}

/** An HTTP error, with what NetBox said (its `detail`, or the fields a filter got wrong). */
function refused(status: number, body: string, url: URL, withToken: boolean): NetopsError {
  let said = '';
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    said = Object.entries(parsed)
      .map(([key, value]) => (key === 'detail' ? String(value) : `${key}: ${[value].flat().join(' ')}`))
      .join('; ');
  } catch {
    said = body.slice(0, 200).trim();
  }
  const what = `NetBox answered HTTP ${status} to ${url.pathname}${url.search}${said ? `: ${said}` : ''}`;
  if (status === 401 || status === 403) {
    return unreadable(what, url, {
      hint: withToken
        ? 'The token was refused: check it is valid, not expired, and may read dcim devices.'
        : 'Set NETBOX_TOKEN (or give `token: { env: NAME }` / `{ file: PATH }`) to a NetBox API token.',
    });
  }
  if (status === 404)
    return unreadable(what, url, { hint: 'Give the NetBox base URL, e.g. https://netbox.example.com.' });
  if (status === 400)
    return unreadable(what, url, { hint: 'Fix the filter NetBox names (site, role and tag take slugs).' });
  return unreadable(what, url);
}

function unreadable(message: string, url: URL, { hint }: { hint?: string } = {}): NetopsError {
  return new NetopsError('CONFIG_UNREADABLE', message, {
    hint: hint ?? `Check that NetBox answers at ${url.origin} from this machine, then run again.`,
  });
}
