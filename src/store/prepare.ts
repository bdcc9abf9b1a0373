/**
 * From what a device sent to what the store keeps: validate (complete, no device errors, not
 * suspiciously smaller than the last good copy), then mask secrets and drop volatile lines, so that
 * two fetches of an unchanged config give the same text and "changed" means changed.
 */
import { checkSizes, describeSizeCheck, type SizeCheck, type SizeEvidence } from './completeness.js';
import { countLineFeeds } from './line-feeds.js';
import { applyLineRules, type LineChange } from './line-rules.js';
import { noNoiseRules, type NoiseRules } from './noise-rules.js';
import { matchesAny } from './regex-union.js';
import { ruleLines } from './rule-lines.js';
import type { ConfigRules } from './rules.js';
import { maskSecrets, type MaskOptions } from './sanitize.js';

export interface PrepareOptions {
  /** The size in bytes of the last good copy as stored (already prepared); enables the shrink check. */
  readonly previousBytes?: number;
  /** Accept a config less than half the size of the last good copy. @default false */
  readonly allowShrink?: boolean;
  /** Mask secrets. Turning it off stores passwords and keys in git history. @default true */
  readonly sanitize?: boolean;
  /** What replaces a secret value (e.g. a keyed-hash placeholder). @default () => MASK */
  readonly placeholder?: MaskOptions['placeholder'];
  /** The job's ignore and normalize rules for this host, applied after the platform's volatile lines. */
  readonly noise?: NoiseRules;
  /**
   * `verified-install`: a workflow installed a known intended config and has just checked the
   * device against it; that check replaces the shrink guard (a fresh, smaller config is expected).
   * The error-marker and completeness checks still apply.
   */
  readonly baseline?: 'verified-install';
  /** What the fetch saw of the config's size besides the text (copy dialog, TFTP tsize). */
  readonly evidence?: SizeEvidence;
}

export type RejectCode = 'TRUNCATED' | 'ERROR_MARKER' | 'SHRUNK' | 'EMPTY';

export type Prepared = (
  | {
      readonly ok: true;
      readonly content: string;
      readonly dropped: number;
      readonly masked: number;
      /** Lines received (line endings normalised). */
      readonly received: number;
      /** Each line a rule masked, dropped or rewrote (masked text only), for `netops store explain`. */
      readonly changes: readonly LineChange[];
    }
  | {
      readonly ok: false;
      readonly code: RejectCode;
      /** One sentence with the values involved; never quotes config text that could hold a secret. */
      readonly reason: string;
      /** The text as received, line endings normalised and secrets masked (unless sanitize is off): for `keepAside`. */
      readonly content: string;
    }
) & {
  /** Each size the device announced against what arrived (for the run record). */
  readonly sizes: readonly SizeCheck[];
};

/** What to do about each rejection, for the host's error hint. */
export const rejectHints: Readonly<Record<RejectCode, string>> = {
  TRUNCATED:
    'The upload or capture was cut short (TFTP timeout, session closed, paging); the last good copy is kept, run the backup again.',
  ERROR_MARKER:
    'The device answered with an error instead of its config; check the command, the privilege level and paging (terminal length 0).',
  SHRUNK:
    'If the device really lost that much configuration, accept it once with --accept-shrink HOST or the job setting store.allowShrink.',
  EMPTY:
    'The device sent no configuration; check the upload (file name, TFTP server address) or the show command.',
};

/** A config is suspicious below this fraction of the last good copy. */
const SHRINK_LIMIT = 0.5;

export function prepareConfig(raw: string, rules: ConfigRules, options: PrepareOptions = {}): Prepared {
  const sanitize = options.sanitize ?? true;
  const { lines, plain, lineFeeds } = splitLines(raw);
  const noise = options.noise ?? noNoiseRules;
  const met = ruleLines(lines, rules, noise);
  const masked = sanitize
    ? maskSecrets(lines, rules.secrets, {
        ruleLines: met,
        ...(options.placeholder ? { placeholder: options.placeholder } : {}),
      })
    : { lines, masked: 0, lineHits: new Map<number, readonly string[]>() };
  const sizes = checkSizes(raw, rules.sizeAnnouncements ?? [], options.evidence, lineFeeds);
  const reject = (code: RejectCode, reason: string): Prepared => ({
    ok: false,
    code,
    reason,
    content: joinLines(masked.lines).text,
    sizes,
  });

  const lastIndex = lines.findLastIndex((line) => line.trim() !== '');
  if (lastIndex < 0) return reject('EMPTY', 'the config is empty');

  const isError = matchesAny(rules.errorMarkers);
  const errorAt = lines.findIndex((line, index) => met[index] === 1 && isError(line));
  if (errorAt >= 0) {
    const quoted = (masked.lines[errorAt] ?? '').trim().slice(0, 120);
    return reject('ERROR_MARKER', `line ${errorAt + 1} is a device error message: "${quoted}"`);
  }

  if (rules.endMarker && !rules.endMarker.test(lines[lastIndex] ?? '')) {
    return reject(
      'TRUNCATED',
      `the config stops after line ${lastIndex + 1} without its closing line (${String(rules.endMarker)})`,
    );
  }

  // Without a closing line to look for (NX-OS), or with one that survived a cut in the middle, the
  // device's own size figures decide; a first backup has no previous copy to shrink from.
  const short = sizes.find((check) => check.truncated);
  if (short)
    return reject('TRUNCATED', `the config is shorter than the device says: ${describeSizeCheck(short)}`);
  if (cutMidLine(raw, options.evidence)) {
    const cut = (masked.lines[lastIndex] ?? '').trim().slice(0, 120);
    return reject('TRUNCATED', `the uploaded file stops in the middle of line ${lastIndex + 1} ("${cut}")`);
  }

  const { kept, changes } = applyLineRules({
    lines: masked.lines,
    maskedBy: masked.lineHits,
    volatile: rules.volatile,
    noise,
    ruleLines: met,
  });
  const joined = plain ? joinRuns(raw, lines, kept, changes) : joinLines(kept);
  const content = joined.text;
  if (content === '')
    return reject('EMPTY', `the config has only volatile header lines (${lines.length} lines)`);

  if (
    options.previousBytes !== undefined &&
    !options.allowShrink &&
    options.baseline !== 'verified-install'
  ) {
    const before = options.previousBytes;
    const after = Buffer.byteLength(content);
    if (after < before * SHRINK_LIMIT) {
      const percent = Math.round((1 - after / before) * 100);
      return reject(
        'SHRUNK',
        `the config is ${percent} % smaller than the last good copy (${after} bytes against ${before})`,
      );
    }
  }
  // A stored line is a kept one, unless a normalize rule wrote a line break into it.
  const stored = noise.normalize.length > 0 ? countLineFeeds(content) : joined.count;
  return {
    ok: true,
    content,
    dropped: lines.length - stored,
    masked: masked.masked,
    received: lines.length,
    changes,
    sizes,
  };
}

/**
 * Whether the device's own size figures or an uploaded file's unfinished last line say that `raw`
 * was cut: `prepareConfig` refuses it then, whatever the last good copy was.
 */
export function seemsCut(
  raw: string,
  sizes: readonly SizeCheck[],
  evidence: SizeEvidence | undefined,
): boolean {
  return sizes.some((check) => check.truncated) || cutMidLine(raw, evidence);
}

/** Where nothing announced a size (NX-OS over SNMP), a file the device wrote still ends with a line break. */
function cutMidLine(raw: string, evidence: SizeEvidence | undefined): boolean {
  return evidence?.uploadedFile === true && !/[\r\n]$/.test(raw);
}

/**
 * Lines without their endings: CRLF, NX-OS `\r\r\n` and stray carriage returns all end a line. A
 * capture the channel cleaned holds no CR (`plain`): a plain split is half the cost of the pattern's
 * (50 KB), its lines are runs of `raw` as they are (`joinRuns`), and its line feeds are its lines.
 */
function splitLines(raw: string): { lines: string[]; plain: boolean; lineFeeds?: number } {
  if (raw.includes('\r')) {
    const lines = raw.split(/\r*\n|\r+(?!\n)/);
    if (lines.at(-1) === '') lines.pop();
    return { lines, plain: false };
  }
  const lines = raw.split('\n');
  // The split's last piece is what follows the last line feed: empty, unless the text ends mid-line.
  const lineFeeds = lines.length - 1;
  if (lines.at(-1) === '') lines.pop();
  return { lines, plain: true, lineFeeds };
}

/**
 * `joinLines(kept)`, built from runs of the received text: a stretch of kept lines that no rule
 * touched is the slice of `raw` that held them (a text without CR: its lines joined by line feeds),
 * so the 1,500 or so lines of a config are not joined one by one. Each kept line goes in either as
 * it is or inside a slice checked equal to it line by line, so the text is `joinLines(kept)`'s in
 * every case; the changes (dropped lines) keep the received lines and the kept ones in step.
 */
function joinRuns(
  raw: string,
  lines: readonly string[],
  kept: readonly string[],
  changes: readonly LineChange[],
): { text: string; count: number } {
  const first = kept.findIndex((line) => line.trim() !== '');
  if (first < 0) return { text: '', count: 0 };
  const last = kept.findLastIndex((line) => line.trim() !== '');
  const pieces: string[] = [];
  let runStart = -1;
  let runEnd = 0;
  const endRun = () => {
    if (runStart >= 0) pieces.push(raw.slice(runStart, runEnd));
    runStart = -1;
  };
  let offset = 0;
  let change = 0;
  let k = 0;
  for (let index = 0; index < lines.length && k <= last; index++) {
    const line = lines[index] as string;
    const start = offset;
    offset += line.length + 1;
    let dropped = false;
    for (; change < changes.length && (changes[change] as LineChange).received === index + 1; change++)
      if ((changes[change] as LineChange).action === 'dropped') dropped = true;
    if (dropped || k < first) {
      endRun();
      if (!dropped) k += 1;
      continue;
    }
    const keptLine = kept[k] as string;
    k += 1;
    if (keptLine !== line) {
      endRun();
      pieces.push(keptLine);
    } else {
      if (runStart < 0) runStart = start;
      runEnd = start + line.length;
    }
  }
  endRun();
  // Kept lines the received ones did not account for (never, when the changes name every dropped line).
  for (; k <= last; k++) pieces.push(kept[k] as string);
  // The final newline joined with the rest: one flat string, not a pair the store would copy again.
  pieces.push('');
  return { text: pieces.join('\n'), count: last + 1 - first };
}

/** Leading and trailing blank lines dropped (IOS prints one inside its header), one final newline. */
function joinLines(lines: readonly string[]): { text: string; count: number } {
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first < 0) return { text: '', count: 0 };
  const last = lines.findLastIndex((line) => line.trim() !== '');
  const kept = lines.slice(first, last + 1);
  // The final newline joined with the rest: one flat string, not a pair the store would copy again.
  kept.push('');
  return { text: kept.join('\n'), count: last + 1 - first };
}
