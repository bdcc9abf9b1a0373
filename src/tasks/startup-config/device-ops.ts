/**
 * The device operations both workflows share: serving the file to one host, reading a config back
 * and checking it, and storing the installed config as the new baseline (through the backup task).
 */
import type { Host, SecretRef } from '../../config/model.js';
import { NetopsError } from '../../core/errors.js';
import { resolveHost } from '../../net/resolve.js';
import type { CliSession } from '../../platforms/session.js';
import type { PlatformSpec } from '../../platforms/spec.js';
import { jobTftp, type JobTftp } from '../resources/job-tftp.js';
import type { TaskContext } from '../task.js';
import { compareConfigs, maskConfig, type ConfigComparison } from './compare.js';

export interface Served {
  readonly tftp: JobTftp;
  /** The server address this host is told to fetch from. */
  readonly server: string;
  readonly sources: readonly string[];
}

/** The host's addresses (the TFTP server serves the file to these only) and the server for its family. */
export async function serverFor(ctx: TaskContext): Promise<Served> {
  const resolved = await resolveHost(ctx.host.address, ctx.host.family);
  const sources = [...resolved.v6, ...resolved.v4];
  const tftp = await jobTftp(ctx);
  // SSH tries IPv6 first, so the device reaches us over the family of its first address.
  const server = tftp.advertise(resolved.v6.length > 0 ? 6 : 4);
  return { tftp, server, sources };
}

export function publish(served: Served, file: string, text: string): () => void {
  return served.tftp.server.publishDownload({ filename: file, data: Buffer.from(text), to: served.sources });
}

/** Output lines that say the device refused part of what it was given (a merge of many commands). */
export function errorLines(text: string, platform: PlatformSpec): string[] {
  const generic = [/^%/, /^\s*ERROR:/i, /syntax error/i, /\bfailed\b/i, /^Invalid /];
  return text
    .split('\n')
    .filter((line) => [...platform.errorMarkers, ...generic].some((p) => p.test(line)))
    .map((line) => line.trim());
}

/** Reads startup- or running-config back and checks it says what we meant. */
export async function verifyConfig(
  session: CliSession,
  which: 'startup' | 'running',
  intended: string,
  host: string,
): Promise<ConfigComparison> {
  const platform = session.platform;
  const shown = await session.send(which === 'startup' ? platform.startupConfig : platform.runningConfig);
  return checkIntended(shown.text, which, intended, host, platform);
}

/** Every intended line must be in what the device showed; lines it adds are only reported. */
function checkIntended(
  shown: string,
  which: 'startup' | 'running',
  intended: string,
  host: string,
  platform: PlatformSpec,
): ConfigComparison {
  // Secret values are masked on both sides: the differences go into run records.
  const rules = platform.configRules;
  const comparison = compareConfigs(maskConfig(intended, rules), maskConfig(shown, rules), rules);
  if (comparison.missing.length > 0) {
    throw new NetopsError(
      'WORKFLOW_FAILED',
      `${host}: the ${which}-config lacks ${comparison.missing.length} line(s) of the intended config, first: "${comparison.missing[0]}"`,
      {
        hint: 'Compare the device with `netops render` for this host; see details for every missing line.',
        host,
        details: { missing: comparison.missing.slice(0, 200), extra: comparison.extra.slice(0, 200) },
      },
    );
  }
  return comparison;
}

/**
 * Stores the running-config a workflow has just installed as the host's new good copy, by the
 * backup task run on this session (the console after a rebuild is the device's only line). The
 * check is the diff against the intended config (every intended line must be running), not the
 * store's shrink guard: a freshly installed config is often much smaller than the one it replaced.
 * The store still refuses a copy with device errors in it or one that is incomplete.
 */
export async function storeInstalledBaseline(
  ctx: TaskContext,
  session: CliSession,
  intended: string,
): Promise<{ store: unknown; changed: unknown; baseline: 'verified-install' }> {
  const { platform } = session;
  const shown = await session.send(platform.runningConfig);
  checkIntended(shown.text, 'running', intended, ctx.host.name, platform);
  if (!ctx.run) throw new Error('startup-config stores its baseline through the runner (ctx.run)');
  const reason = 'installed by startup-config and verified; stored as the new baseline';
  const params = { method: 'show', reason, baseline: 'verified-install' };
  const backup = await ctx.run('backup', params, { session });
  return { store: backup.data?.['path'], changed: backup.data?.['changed'], baseline: 'verified-install' };
}

/** The account a first boot's setup dialog creates (NX-OS `admin`), with the step's (or the host's) password. */
export function adminHost(host: Host, password: SecretRef | undefined, username: string): Host {
  if (!password) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `${host.name}: no password for the ${username} account the first boot creates`,
      {
        hint: 'Set boot.adminPassword in the step (e.g. { env: NAME }) or give the host credentials with a password.',
        host: host.name,
      },
    );
  }
  return { ...host, credentials: { name: `first-boot ${username}`, username, password } };
}
