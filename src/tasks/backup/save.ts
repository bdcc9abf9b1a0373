/**
 * Puts a fetched config in the store: validate it against the platform's rules and the last good
 * copy, sanitize it, write it. A suspicious config is kept aside and never replaces a good one.
 */
import { now } from '../../core/clock.js';
import { NetopsError, toNetopsError } from '../../core/errors.js';
import { checkSizes, type SizeCheck, type SizeEvidence } from '../../store/completeness.js';
import {
  EXPLANATION_FORMAT,
  contentDigest,
  listExplained,
  readReceivedSource,
  writeExplanation,
  type ReceivedSource,
} from '../../store/explanation.js';
import type { GitStore } from '../../store/git-store.js';
import { newlyMaskedLines } from '../../store/newly-masked.js';
import { noiseRulesFor } from '../../store/noise-rules.js';
import { placeholderKey, placeholderSwitch } from '../../store/placeholder-key.js';
import {
  prepareConfig,
  rejectHints,
  seemsCut,
  type PrepareOptions,
  type Prepared,
} from '../../store/prepare.js';
import { receivedMac, receivedMacKey, type ConfigShape, type ReceivedMac } from '../../store/received-mac.js';
import type { ConfigRules } from '../../store/rules.js';
import { shrinkAllowed } from '../../store/settings.js';
import type { TaskContext } from '../task.js';
import { jobPlaceholder } from '../resources/job-placeholders.js';
import { jobStore, storeDir } from '../resources/job-store.js';
import { keepForRestore, restoreSettings } from '../resources/job-vault.js';

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
  const dir = storeDir(ctx.job.dir, settings);
  const shape: ConfigShape = {
    platform: host.platform,
    rules,
    noise: noiseRulesFor(settings.noise, host),
    sanitize: settings.sanitize,
    placeholders: settings.placeholders,
    allowShrink: shrinkAllowed(settings, host.name),
    baseline: options.baseline,
  };
  const known = await knownSource(ctx, store, dir, path, shape, raw);
  const unchanged = known && unchangedSince(known, path, raw, rules, options.evidence);
  if (unchanged) return unchanged;
  // Its size only: an unchanged config, the common case, never reads the stored copy.
  const previousBytes = await store.size(path);
  const created = previousBytes === undefined;
  const placeholder = await jobPlaceholder(ctx, settings);
  const prepared = prepareConfig(raw, rules, {
    ...(created ? {} : { previousBytes }),
    allowShrink: shape.allowShrink,
    sanitize: settings.sanitize,
    ...(placeholder ? { placeholder } : {}),
    noise: shape.noise,
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
  // The placeholders' form can switch, and values be newly masked, only under another shape
  // (store.placeholders, the rules and the sanitizer's code are part of it): when the host's record
  // vouches for the stored copy and was made under this shape, the copy being replaced is not read
  // back for the note.
  const sameForm = known !== undefined && !staleRecord(known);
  const written = await store.write(
    path,
    prepared.content,
    sameForm ? line : (previous) => reshapedNote(ctx, line, previous, prepared.content),
  );
  if (written.diffMissing !== undefined)
    ctx.warn?.(
      `${path} is stored, but git could not diff it against the last commit: ${written.diffMissing}`,
    );
  // An unchanged config keeps the explanation of the backup that stored its text, unless that one
  // cannot vouch for this text's next backup (no record, an older format, another shape).
  if (written.changed || !(await explainedHosts(ctx, dir)).has(host.name) || staleRecord(known)) {
    const blob = written.changed ? written.blob : store.committedBlob(path);
    const received = blob && (known?.received ?? receivedMac(await macKey(ctx, dir), shape, raw));
    const { masked, dropped } = prepared;
    await explain(
      ctx,
      dir,
      path,
      prepared,
      blob && received ? { ...received, blob, masked, dropped } : undefined,
    );
  }
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

/**
 * The commit note of a copy made under another shape than the one it replaces: what changed besides
 * the device's text (the placeholders' form, values newly masked).
 */
function reshapedNote(ctx: TaskContext, line: string, previous: string | undefined, next: string): string {
  const reasons = [placeholderSwitch(previous, next), newlyMasked(ctx, previous, next)];
  return [line, ...reasons.filter(Boolean)].join('; ');
}

/**
 * The note (and the run's warning) when the new copy masks values the copy it replaces held in
 * clear: the sanitizer learnt a secret shape, and the store's earlier commits still hold the secret.
 */
function newlyMasked(ctx: TaskContext, previous: string | undefined, next: string): string | undefined {
  const lines = previous === undefined ? 0 : newlyMaskedLines(previous, next);
  if (lines === 0) return undefined;
  ctx.warn?.(
    `${lines} line(s) of the stored config now mask a secret that earlier commits of the store hold in clear: change that secret on the device, and see docs/store.md ("Secrets in earlier commits")`,
  );
  return `${lines} line(s) newly masked: earlier commits hold their secret in clear`;
}

/** What the host's last explanation says of its received text, and this backup's text, compared. */
interface KnownSource {
  /** The stored copy's blob id, as the store vouches for it (HEAD's, and the working tree's). */
  readonly held: string;
  readonly record: ReceivedSource | undefined;
  readonly received: ReceivedMac;
}

/**
 * The comparison, when one can decide: the store vouches for the host's stored copy, and no
 * restore vault is kept (its entry needs the full path's unsanitized text anyway).
 */
async function knownSource(
  ctx: TaskContext,
  store: GitStore,
  dir: string,
  path: string,
  shape: ConfigShape,
  raw: string,
): Promise<KnownSource | undefined> {
  const held = store.committedBlob(path);
  if (held === undefined || restoreSettings(ctx.job.settings)) return undefined;
  const key = await macKey(ctx, dir);
  const record = await readReceivedSource(dir, ctx.host.name);
  return { held, record, received: receivedMac(key, shape, raw) };
}

/**
 * The full path's result for a text received before under the same shape, while the store still
 * holds the copy made from it: `unchanged`, without sanitizing. Undefined when the text differs,
 * or when the device's size figures now say it was cut (the full path refuses it).
 */
function unchangedSince(
  known: KnownSource,
  path: string,
  raw: string,
  rules: ConfigRules,
  evidence: SizeEvidence | undefined,
): Saved | undefined {
  const { record, held, received } = known;
  if (record?.blob !== held || record.mac !== received.mac) return undefined;
  const sizes = checkSizes(raw, rules.sizeAnnouncements ?? [], evidence);
  if (seemsCut(raw, sizes, evidence)) return undefined;
  return {
    path,
    changed: false,
    created: false,
    diff: '',
    bytes: Buffer.byteLength(raw),
    masked: record.masked,
    dropped: record.dropped,
    sizes,
  };
}

/**
 * The record cannot vouch for this host's next backup although the stored copy stays: none, an
 * older format, or made under another shape (rules, settings, version). A record whose only
 * difference is the received text stays: a text that differs in volatile lines at every fetch
 * (NX-OS's `!Time:`) would otherwise have its explanation written again at every backup.
 */
function staleRecord(known: KnownSource | undefined): boolean {
  if (!known) return false;
  const { record, held, received } = known;
  return record?.blob !== held || record.shape !== received.shape;
}

/** The store's MAC key (received-mac.ts), from its placeholder key (read, or made), once per run. */
async function macKey(ctx: TaskContext, dir: string): Promise<Buffer> {
  const opened = await ctx.resource(`received-mac-key:${dir}`, async () => ({
    key: receivedMacKey(await placeholderKey(dir)),
    close: async () => undefined,
  }));
  return opened.key;
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
  source: ReceivedSource | undefined,
): Promise<void> {
  try {
    await writeExplanation(store, {
      format: EXPLANATION_FORMAT,
      host: ctx.host.name,
      platform: ctx.host.platform,
      at: now().toISOString(),
      file,
      // The source's blob id names the stored text; a record without one hashes it.
      ...(source ? {} : { sha256: contentDigest(prepared.content) }),
      received: prepared.received,
      changes: prepared.changes,
      ...(source ? { source } : {}),
    });
  } catch (error) {
    const e = toNetopsError(error);
    ctx.warn?.(`netops store explain will not cover this backup: ${e.message}`);
  }
}
