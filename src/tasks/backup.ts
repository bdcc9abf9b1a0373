/**
 * `backup`: fetch each device's running-config and keep it in the job's git store. Methods, tried
 * in order until one works: `tftp-cli` (the device uploads to netops' TFTP server, triggered over
 * SSH/Telnet), `tftp-snmp` (the same upload triggered through CISCO-CONFIG-COPY-MIB), `show`
 * (`show running-config` read over the CLI). The result says which method worked and why the
 * others did not; a suspicious config never replaces the last good one.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { NetopsError, toNetopsError } from '../core/errors.js';
import { once } from '../core/once.js';
import { normalizeAddress } from '../net/address.js';
import { resolveHost } from '../net/resolve.js';
import { platformNamed, platforms } from '../platforms/registry.js';
import type { Host } from '../config/model.js';
import { defineTask, type TaskContext } from './task.js';
import { showRunning, tftpCli } from './backup/cli-methods.js';
import type { BackupMethod, Fetched, UploadPlan } from './backup/method.js';
import { tftpSnmp } from './backup/tftp-snmp.js';
import { jobTftp, plannedServers } from './resources/job-tftp.js';

/** The store (sanitizer, git) loads with the first config fetched, not with the task list (`--plan`). */
const loadSave = once(() => import('./backup/save.js'));

const methods: Readonly<Record<string, BackupMethod>> = {
  'tftp-cli': tftpCli,
  'tftp-snmp': tftpSnmp,
  show: showRunning,
};
const methodName = z.enum(['tftp-cli', 'tftp-snmp', 'show']);

const params = z.strictObject({
  /** `auto` tries `order` (or the host's `data.backupMethods`) until one works. */
  method: z.union([z.literal('auto'), methodName]).default('auto'),
  order: z.array(methodName).min(1).default(['tftp-cli', 'tftp-snmp', 'show']),
  /**
   * A host backed up by a later method after an earlier one failed: `warn` (the host succeeds with a
   * note in the summary, record and alerts) or `fail` (the copy is stored, the host fails: exit 1).
   */
  fallback: z.enum(['warn', 'fail']).default('warn'),
  /** How long a device has to start and finish its upload, in ms; default the job's `tftp.timeout`. */
  uploadTimeoutMs: z.int().min(100).max(600_000).optional(),
  /** Why this copy is taken, for the store's commit message (`r1: before startup-config`). @default what changed and how */
  reason: z.string().min(1).optional(),
  /**
   * The caller checked this running-config against the config it installed (startup-config does,
   * through ctx.run): the store's shrink guard does not apply, a fresh config is often much smaller.
   * Set in a job, it turns the guard off for this step like `store.allowShrink`.
   */
  baseline: z.literal('verified-install').optional(),
});
type Params = z.infer<typeof params>;

function methodsFor(host: Host, p: Params): BackupMethod[] {
  if (p.method !== 'auto') return [methods[p.method]!];
  const own = host.data['backupMethods'];
  const order = Array.isArray(own) ? own.filter((m): m is string => typeof m === 'string') : p.order;
  return order.flatMap((name) => methods[name] ?? []);
}

/** Addresses the device may upload from: its inventory address (resolved) and any listed in data.addresses. */
async function uploadSources(host: Host): Promise<string[]> {
  const resolved = await resolveHost(host.address);
  const extra = Array.isArray(host.data['addresses']) ? host.data['addresses'] : [];
  const listed = extra.flatMap((a) => (typeof a === 'string' ? (normalizeAddress(a) ?? []) : []));
  return [...new Set([...resolved.v4, ...resolved.v6, ...listed])];
}

function lazyUploadPlan(ctx: TaskContext, p: Params): () => Promise<UploadPlan> {
  let plan: Promise<UploadPlan> | undefined;
  return () =>
    (plan ??= (async () => {
      const tftp = await jobTftp(ctx);
      const sources = await uploadSources(ctx.host);
      tftp.know({ name: ctx.host.name, addresses: sources });
      return {
        tftp,
        sources,
        // A unique name per run: a late retransmission of another night's upload cannot be taken for this one.
        filename: `${ctx.host.name}-${randomBytes(4).toString('hex')}-confg`,
        timeoutMs: p.uploadTimeoutMs ?? tftp.settings.timeout * 1000,
      };
    })());
}

interface Attempt {
  readonly method: string;
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
}

/** `tftp-cli failed (TFTP_NO_UPLOAD: ...), backed up with show`; undefined when the first method that applied worked. */
function fallbackNote(attempts: readonly Attempt[], used: string): string | undefined {
  const failed = attempts.filter((a) => !a.ok && a.code !== 'NOT_APPLICABLE');
  if (failed.length === 0) return undefined;
  return `${failed.map((a) => `${a.method} failed (${a.code}: ${a.message})`).join('; ')}, backed up with ${used}`;
}

function fallbackFailed(
  host: string,
  note: string,
  errors: readonly NetopsError[],
  details: Record<string, unknown>,
): NetopsError {
  return new NetopsError(
    'FALLBACK_USED',
    `${note}; the copy is stored, but the job's fallback policy is fail`,
    {
      hint: `${errors.at(-1)?.hint ?? 'Fix the failed method.'} To accept fallbacks, set \`fallback: warn\` on the backup step.`,
      host,
      details,
    },
  );
}

export const backup = defineTask({
  name: 'backup',
  summary: 'fetch the running-config (TFTP upload via CLI or SNMP, or show) into the git store',
  params,
  hostData: { backupMethods: z.array(methodName).min(1) },
  usesHostedTftp: (host, p) => {
    const platform = host.platform === undefined ? undefined : platforms[host.platform];
    return methodsFor(host, p).some(
      (m) => m.uploads && (!platform || m.unavailable(host, platform) === undefined),
    );
  },
  plan: (host, p, job) => {
    const platform = host.platform === undefined ? undefined : platforms[host.platform];
    if (!platform) return [`cannot back up: ${host.name} has no platform`];
    return [
      ...methodsFor(host, p).map(
        (m, i) =>
          `${i === 0 ? 'try' : 'else'} ${m.name}: ${m.unavailable(host, platform) ?? m.describe(`${host.name}-RANDOM-confg`, plannedServers(host, job.settings), platform)}`,
      ),
      `validate, sanitize and store as configs/${host.name}.cfg`,
    ];
  },
  async run(ctx, p) {
    const platform = platformNamed(ctx.host.platform, ctx.host.name);
    const rules = platform.configRules;
    if (!rules) {
      const able = Object.values(platforms).filter((known) => known.configRules);
      throw new NetopsError('CONFIG_INVALID', `platform ${platform.name} has no config rules for the store`, {
        hint: `This platform cannot be backed up yet; use a platform with config rules (${able.map((known) => known.name).join(', ')}).`,
        host: ctx.host.name,
      });
    }
    const upload = lazyUploadPlan(ctx, p);
    const attempts: Attempt[] = [];
    const errors: NetopsError[] = [];
    for (const method of methodsFor(ctx.host, p)) {
      const skip = method.unavailable(ctx.host, platform);
      if (skip) {
        attempts.push({ method: method.name, ok: false, code: 'NOT_APPLICABLE', message: skip });
        continue;
      }
      let fetched: Fetched;
      try {
        fetched = await method.fetch(ctx, upload);
      } catch (error) {
        const e = toNetopsError(error);
        if (ctx.signal.aborted) throw e;
        attempts.push({ method: method.name, ok: false, code: e.code, message: e.message });
        errors.push(e);
        ctx.log(`${method.name} failed: ${e.code}: ${e.message}`);
        continue;
      }
      attempts.push({ method: method.name, ok: true });
      const { saveConfig } = await loadSave();
      const saved = await saveConfig(
        ctx,
        fetched.text,
        rules,
        (created) =>
          `${ctx.host.name}: ${p.reason ?? `${created ? 'first copy stored' : 'config changed'} (via ${method.name})`}`,
        { evidence: fetched.evidence, ...(p.baseline ? { baseline: p.baseline } : {}) },
      );
      const fallback = fallbackNote(attempts, method.name);
      if (fallback) {
        ctx.warn?.(fallback);
        if (p.fallback === 'fail')
          throw fallbackFailed(ctx.host.name, fallback, errors, { attempts, ...saved });
      }
      return {
        status: saved.changed ? 'changed' : 'ok',
        summary: `${method.name}${fallback ? ' (fallback)' : ''}, ${saved.bytes} bytes, ${saved.created ? 'created' : saved.changed ? 'changed' : 'unchanged'}`,
        data: { method: method.name, attempts, ...saved },
      };
    }
    // The most telling failure wins: a refused upload from a wrong source explains itself and names the fix.
    const chosen = errors.find((e) => e.code === 'TFTP_UNEXPECTED_SOURCE') ?? errors.at(-1);
    const tried = attempts.map((a) => `${a.method}: ${a.ok ? 'ok' : a.code}`).join('; ');
    throw new NetopsError(
      chosen?.code ?? 'CONFIG_INVALID',
      `${chosen?.message ?? 'no backup method applies'} (tried ${tried})`,
      {
        hint:
          chosen?.hint ??
          'Give the host credentials or snmp settings, or set data.backupMethods to what it supports.',
        host: ctx.host.name,
        // A refused or timed-out session stays worth the job's retries after the methods' summary.
        transient: chosen?.transient === true,
        details: { attempts },
      },
    );
  },
});
