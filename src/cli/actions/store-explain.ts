/**
 * What `netops store explain HOST` prints: the explanation the host's last backup left in the
 * store's state folder (store/explanation.ts), line by line, and whether the store still holds the
 * file it explains.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { explainsText, readExplanation, type Explanation } from '../../store/explanation.js';
import type { LineChange } from '../../store/line-rules.js';
import type { StoreSettings } from '../../store/settings.js';
import { storeDir } from '../../tasks/resources/job-store.js';
import { loadJobFile } from '../load.js';

export interface StoreExplainFlags {
  readonly store?: string;
  readonly job?: string;
  readonly json?: boolean;
}

export async function storeExplain(host: string, flags: StoreExplainFlags): Promise<void> {
  const store = await storeFolder(flags);
  const explanation = await readExplanation(store, host);
  const stored = await readFile(path.join(store, explanation.file)).catch(() => undefined);
  const current = stored !== undefined && explainsText(explanation, stored);
  const text = flags.json
    ? JSON.stringify({ ...explanation, store, current }, null, 2)
    : formatExplanation(explanation, current).join('\n');
  process.stdout.write(`${text}\n`);
}

async function storeFolder(flags: StoreExplainFlags): Promise<string> {
  if ((flags.store === undefined) === (flags.job === undefined)) {
    throw new NetopsError('CONFIG_INVALID', 'netops store explain needs one of --store DIR and --job FILE', {
      hint: 'Name the store folder with --store, or the job file whose store.dir to read with --job.',
    });
  }
  if (flags.store !== undefined) return path.resolve(flags.store);
  const job = await loadJobFile(flags.job as string);
  const settings = job.settings['store'] as StoreSettings | undefined;
  if (!settings) {
    throw new NetopsError('CONFIG_INVALID', `job ${flags.job} has no store section`, {
      hint: 'Name a job that backs up into a store (store: { dir: ... }), or the store folder with --store.',
    });
  }
  return storeDir(job.dir, settings);
}

export function formatExplanation(e: Explanation, current: boolean): string[] {
  const dropped = e.changes.filter((change) => change.action === 'dropped').length;
  const trimmed = blankLinesTrimmed(e, dropped);
  const lines = [
    `${e.host}: ${e.file}, backup of ${e.at}${e.platform ? ` (platform ${e.platform})` : ''}: ${e.received} lines received, ${dropped} dropped${trimmed > 0 ? `, ${trimmed} blank ${trimmed === 1 ? 'line' : 'lines'} trimmed at the start or end` : ''}`,
  ];
  if (!current) {
    lines.push(
      `  note: ${e.file} in the store is not the file this backup stored (a later change by another run or by hand); this explains the backup of ${e.at}`,
    );
  }
  if (e.changes.length === 0) lines.push('  no rule masked, dropped or changed any line');
  for (const change of e.changes) lines.push(...formatChange(change, e.platform));
  return lines;
}

/**
 * Blank lines the store left out around the config (no rule's doing, so not among the changes): the
 * record's `dropped` (received less stored lines) counts them, and this line must add up to it. Not
 * told where a normalize rule may have written a line break into a line (stored lines then differ
 * for another reason), nor for an explanation without a source (older netops).
 */
function blankLinesTrimmed(e: Explanation, droppedByRules: number): number {
  if (e.source === undefined || e.changes.some((change) => change.action === 'normalized')) return 0;
  return Math.max(0, e.source.dropped - droppedByRules);
}

function formatChange(change: LineChange, platform: string | undefined): string[] {
  const at = `line ${change.received}${change.stored === undefined ? '' : ` (stored line ${change.stored})`}`;
  const { rule } = change;
  const of = platform ? ` of platform ${platform}` : '';
  const by =
    rule.kind === 'secret'
      ? `secret rule "${rule.name}"${of}`
      : rule.kind === 'volatile'
        ? `volatile line${of} /${rule.pattern}/`
        : `${rule.kind} rule ${rule.name} /${rule.pattern}/`;
  const head = `  ${at} ${change.action} by ${by}`;
  if (change.action === 'normalized')
    return [head, `      - ${change.before ?? ''}`, `      + ${change.text}`];
  return [head, `      ${change.text}`];
}
