/**
 * Puts a fetched config in the store: validate it against the platform's rules and the last good
 * copy, sanitize it, write it. A suspicious config is kept aside and never replaces a good one.
 */
import { now } from '../../core/clock.js';
import { NetopsError, toNetopsError } from '../../core/errors.js';
import { contentDigest, listExplained, writeExplanation } from '../../store/explanation.js';
import { noiseRulesFor } from '../../store/noise-rules.js';
import { placeholderSwitch } from '../../store/placeholder-key.js';
import { prepareConfig, rejectHints, type PrepareOptions, type Prepared } from '../../store/prepare.js';
import type { SizeCheck, SizeEvidence } from '../../store/completeness.js';
import type { ConfigRules } from '../../store/rules.js';
import { shrinkAllowed } from '../../store/settings.js';
import type { TaskContext } from '../task.js';
import { jobPlaceholder } from '../resources/job-placeholders.js';
import { jobStore, storeDir } from '../resources/job-store.js';
import { keepForRestore } from '../resources/job-vault.js';

export interface Saved {
  readonly path: string;
  readonly changed: boolean;
  /** The first copy of a host: no diff worth showing. */
  readonly created: boolean;
  /** Unified diff against the last stored copy; empty when created or unchanged. */
  readonly diff: string;
  readonly bytes: number;
  readonly masked: number;
  readonly dropped: number;
  /** Each size the device announced against what arrived. */
  readonly sizes: readonly SizeCheck[];
}

export interface SaveOptions {
  /** The caller verified the config against its intended file (see PrepareOptions). */
  readonly baseline?: PrepareOptions['baseline'];
  /** What the fetch saw of the config's size (copy dialog, TFTP tsize). */
  readonly evidence?: SizeEvidence;
}

export async function saveConfig(
  ctx: TaskContext,
  raw: string,
  rules: ConfigRules,
  /** The commit-message line for this host; a function hears whether this is the host's first copy. */
  note: string | ((created: boolean) => string),
  options: SaveOptions = {},
): Promise<Saved> {
  const { host } = ctx;
  const { store, settings } = await jobStore(ctx);
  const path = `configs/${host.name}.cfg`;
  // Its size only: an unchanged config, the common case, never reads the stored copy.
  const previousBytes = await store.size(path);
  const created = previousBytes === undefined;
  const placeholder = await jobPlaceholder(ctx, settings);
  const prepared = prepareConfig(raw, rules, {
    ...(created ? {} : { previousBytes }),
    allowShrink: shrinkAllowed(settings, host.name),
    sanitize: settings.sanitize,
    ...(placeholder ? { placeholder } : {}),
    noise: noiseRulesFor(settings.noise, host),
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.evidence ? { evidence: options.evidence } : {}),
  });
  if (!prepared.ok) {
    const aside = await store.keepAside(path, prepared.content, prepared.reason);
    // A cut config has its own code: a cron reader acts on it differently (retry) than on a refusal.
    const code = prepared.code === 'TRUNCATED' ? 'TRUNCATED' : 'CONFIG_REJECTED';
    throw new NetopsError(code, `${host.name}: config rejected: ${prepared.reason}`, {
      hint: `${rejectHints[prepared.code]} The rejected copy is at ${aside}.`,
      host: host.name,
      details: { reason: prepared.code, rejected: aside, sizes: prepared.sizes },
    });
  }
  const line = typeof note === 'string' ? note : note(created);
  const written = await store.write(path, prepared.content, (previous) => {
    const switched = placeholderSwitch(previous, prepared.content);
    return switched ? `${line}; ${switched}` : line;
  });
  const dir = storeDir(ctx.job.dir, settings);
  // An unchanged config keeps the explanation of the backup that stored its text.
  if (written.changed || !(await explainedHosts(ctx, dir)).has(host.name))
    await explain(ctx, dir, path, prepared);
  await keepForRestore(ctx, raw, rules, prepared.content, options.evidence);
  return {
    path,
    changed: written.changed,
    created,
    diff: created ? '' : written.diff,
    bytes: Buffer.byteLength(raw),
    masked: prepared.masked,
    dropped: prepared.dropped,
    sizes: prepared.sizes,
  };
}

/** The hosts whose backups the store's state folder explains, listed once per run. */
async function explainedHosts(ctx: TaskContext, store: string): Promise<ReadonlySet<string>> {
  const listed = await ctx.resource(`explained:${store}`, async () => ({
    hosts: await listExplained(store),
    close: async () => undefined,
  }));
  return listed.hosts;
}

/** Keeps what each rule did to this backup for `netops store explain`; a failure only warns. */
async function explain(
  ctx: TaskContext,
  store: string,
  file: string,
  prepared: Extract<Prepared, { ok: true }>,
): Promise<void> {
  try {
    await writeExplanation(store, {
      host: ctx.host.name,
      platform: ctx.host.platform,
      at: now().toISOString(),
      file,
      sha256: contentDigest(prepared.content),
      received: prepared.received,
      changes: prepared.changes,
    });
  } catch (error) {
    const e = toNetopsError(error);
    ctx.warn?.(`netops store explain will not cover this backup: ${e.message}`);
  }
}
