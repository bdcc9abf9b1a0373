/**
 * `reachable`: a pre-flight check. Connects to each management port of a host over IPv4 and/or IPv6
 * and reports which families answer and how fast, without logging in.
 */
import { z } from 'zod';
import { defineTask } from './task.js';
import { NetopsError, toNetopsError, type ErrorCode } from '../core/errors.js';
import { formatHostPort, parseAddress } from '../net/address.js';
import { resolveHost } from '../net/resolve.js';
import { tcpConnect } from '../net/tcp-connect.js';
import type { Host } from '../config/model.js';

const params = z.strictObject({
  /** Ports to try; default: the host's port, or its transport's standard port. */
  ports: z.array(z.int().min(1).max(65535)).min(1).optional(),
  families: z
    .array(z.enum(['ipv4', 'ipv6']))
    .min(1)
    .default(['ipv4', 'ipv6']),
  /** `all`: every address and port must answer; `any`: one is enough. */
  require: z.enum(['all', 'any']).default('all'),
  /** Connect time limit per attempt, in milliseconds. */
  timeoutMs: z.int().min(1).max(120_000).default(5_000),
});

type Params = z.infer<typeof params>;

interface Check {
  readonly family: 'ipv4' | 'ipv6';
  readonly address: string;
  readonly port: number;
  readonly ok: boolean;
  readonly ms?: number;
  readonly code?: ErrorCode;
  readonly message?: string;
}

/** The families that will really be tried: a literal has one; a name has those asked for. */
function familiesOf(host: Host, p: Params): Array<'ipv4' | 'ipv6'> {
  const literal = parseAddress(host.address);
  const only = literal?.family ?? host.family;
  return p.families.filter((f) => only === undefined || f === `ipv${only}`);
}

function portsOf(host: Host, p: Params): number[] {
  return p.ports ?? [host.port ?? (host.transport === 'telnet' ? 23 : 22)];
}

export const reachable = defineTask({
  name: 'reachable',
  summary: 'connect to the management port(s) over IPv4 and IPv6 and report which families answer',
  params,
  plan: (host, p) => [
    `connect to ${host.address} port ${portsOf(host, p).join(', ')} over ${familiesOf(host, p).join(' and ') || 'no family (none of the requested ones applies)'} (require ${p.require})`,
  ],
  async run(ctx, p) {
    const { host } = ctx;
    const resolved = await resolveHost(host.address, host.family);
    const targets = [
      ...(p.families.includes('ipv4')
        ? resolved.v4.map((a) => ({ family: 'ipv4' as const, address: a }))
        : []),
      ...(p.families.includes('ipv6')
        ? resolved.v6.map((a) => ({ family: 'ipv6' as const, address: a }))
        : []),
    ].flatMap((t) => portsOf(host, p).map((port) => ({ ...t, port })));
    if (targets.length === 0) {
      throw new NetopsError('NAME_UNRESOLVED', `${host.address} has no ${p.families.join('/')} address`, {
        hint: 'Add the missing DNS record, or set `families` in the step params to what the host has.',
        host: host.name,
      });
    }
    const checks = await Promise.all(
      targets.map(async (t): Promise<Check> => {
        const started = performance.now();
        try {
          const socket = await tcpConnect({
            ...t,
            timeoutMs: p.timeoutMs,
            signal: ctx.signal,
            host: host.name,
          });
          socket.destroy();
          return { ...t, ok: true, ms: Math.round((performance.now() - started) * 100) / 100 };
        } catch (error) {
          const e = toNetopsError(error);
          return { ...t, ok: false, code: e.code, message: e.message };
        }
      }),
    );
    const describe = (c: Check) =>
      `${c.family} ${formatHostPort(c.address, c.port)} ${c.ok ? `${c.ms}ms` : (c.code ?? 'failed')}`;
    const summary = checks.map(describe).join(', ');
    const failed = checks.filter((c) => !c.ok);
    const passed = p.require === 'all' ? failed.length === 0 : failed.length < checks.length;
    if (!passed) {
      const first = failed[0] as Check;
      throw new NetopsError(first.code ?? 'UNREACHABLE', `not reachable: ${summary}`, {
        hint:
          p.require === 'all'
            ? 'Each listed address and port must accept a connection; check the failing ones (or use `require: any`).'
            : 'No address answered: check that the device is up and the port is right.',
        host: host.name,
        transient: true,
        details: { checks },
      });
    }
    const answering = [...new Set(checks.filter((c) => c.ok).map((c) => c.family))];
    return { status: 'ok', summary, data: { families: answering, checks } };
  },
});
