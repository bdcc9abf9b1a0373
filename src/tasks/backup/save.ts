/**
 * Puts a fetched config in the store: validate it against the platform's rules and the last good
 * copy, sanitize it, write it. A suspicious config is kept aside and never replaces a good one.
 */
import { NetopsError } from '../../core/errors.js';
import { prepareConfig, rejectHints, type PrepareOptions } from '../../store/prepare.js';
import type { ConfigRules } from '../../store/rules.js';
import { shrinkAllowed } from '../../store/settings.js';
import type { TaskContext } from '../task.js';
import { jobStore } from '../resources/job-store.js';

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
}

export interface SaveOptions {
  /** The caller verified the config against its intended file (see PrepareOptions). */
  readonly baseline?: PrepareOptions['baseline'];
}

export async function saveConfig(
  ctx: TaskContext,
  raw: string,
  rules: ConfigRules,
  note: string,
  options: SaveOptions = {},
): Promise<Saved> {
  const { host } = ctx;
  const { store, settings } = await jobStore(ctx);
  const path = `configs/${host.name}.cfg`;
  const previous = await store.read(path);
  const prepared = prepareConfig(raw, rules, {
    ...(previous === undefined ? {} : { previous }),
    allowShrink: shrinkAllowed(settings, host.name),
    sanitize: settings.sanitize,
    ...(options.baseline ? { baseline: options.baseline } : {}),
  });
  if (!prepared.ok) {
    const aside = await store.keepAside(path, prepared.content, prepared.reason);
    throw new NetopsError('CONFIG_REJECTED', `${host.name}: config rejected: ${prepared.reason}`, {
      hint: `${rejectHints[prepared.code]} The rejected copy is at ${aside}.`,
      host: host.name,
      details: { reason: prepared.code, rejected: aside },
    });
  }
  const written = await store.write(path, prepared.content, note);
  return {
    path,
    changed: written.changed,
    created: previous === undefined,
    diff: previous === undefined ? '' : written.diff,
    bytes: Buffer.byteLength(raw),
    masked: prepared.masked,
    dropped: prepared.dropped,
  };
}
