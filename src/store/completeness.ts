/**
 * Whether a config arrived whole, from what the device itself says about its size: IOS heads
 * `show running-config` with `Current configuration : N bytes`, the IOS copy dialog ends
 * `N bytes copied in ...`, NX-OS's copy progress ends with the KB it sent, and a TFTP client may
 * announce the file size in its WRQ (RFC 2349 `tsize`). Where such a count exists and what arrived
 * is clearly shorter, the config is truncated, whatever the previous copy was (a first backup too).
 *
 * Which announcements a platform makes is data in its store rules (`sizeAnnouncements`); this file
 * only reads and compares them. docs/backup.md lists each with its source.
 *
 * "Clearly shorter": the announced count and the text we measure differ in ways that are not a
 * truncation, so the received side is counted generously and the announced side conservatively:
 * - line endings: the device may count CR LF where we measure LF, so every received line counts
 *   one byte more;
 * - header and trailer lines the device may or may not include in its count (`! Last configuration
 *   change`, blank lines, the NX-OS `!Time:` lines): a slack of 2 % of the announced count plus
 *   128 bytes;
 * - rounding (NX-OS prints KB with two decimals, and KB may be 1000 or 1024 bytes): the announced
 *   value is taken at its lowest reading (half a last digit less, the smallest unit).
 * A TFTP cut loses at least part of a 512-byte block and usually far more; the lab's truncation
 * fault loses half.
 */
import { countLineFeeds } from './line-feeds.js';

/** Where a device states a config's size. */
export type SizeSource = 'config-header' | 'copy-dialog' | 'tftp-tsize';

export interface SizeAnnouncement {
  readonly source: Exclude<SizeSource, 'tftp-tsize'>;
  /**
   * Finds the count; group 1 is the number. For `config-header` it matches a line of the config
   * text and the count covers the lines after it; for `copy-dialog` the last match in the dialog
   * output counts and covers the whole uploaded file.
   */
  readonly pattern: RegExp;
  /** Smallest number of bytes one unit of the number can mean (NX-OS `KB`: 1000). @default 1 */
  readonly unit?: number;
}

/** What a fetch saw besides the config text. */
export interface SizeEvidence {
  /** The output of the command that made the device upload (the copy dialog). */
  readonly dialog?: string;
  /** The `tsize` the device announced in its TFTP write request. */
  readonly tsize?: number;
  /**
   * The text is a file the device wrote (a TFTP upload), not command output: such a file ends with
   * a line break, so one that stops mid-line was cut, even where nothing announced a size (NX-OS
   * over SNMP).
   */
  readonly uploadedFile?: boolean;
}

/** One announced count against what arrived, as kept in the run record. */
export interface SizeCheck {
  readonly source: SizeSource;
  /** Bytes announced (lowest reading for rounded values). */
  readonly announced: number;
  /** Bytes received for what the announcement covers, counted with LF line endings. */
  readonly received: number;
  readonly truncated: boolean;
}

const SLACK_BYTES = 128;
const SLACK_FRACTION = 0.02;

export function checkSizes(
  raw: string,
  announcements: readonly SizeAnnouncement[],
  evidence: SizeEvidence = {},
  /** The line feeds in `raw`, when the caller knows them (prepareConfig, from its split of the text). */
  lineFeeds?: number,
): SizeCheck[] {
  const checks: SizeCheck[] = [];
  // Counted at most once, and only when a size was announced: most configs are 50 KB.
  let rawLineFeeds = lineFeeds;
  const feeds = () => (rawLineFeeds ??= countLineFeeds(raw));
  for (const announcement of announcements) {
    if (announcement.source === 'config-header') {
      const found = headerCount(raw, announcement);
      if (found) {
        // The lines after the header's: the text's, less the few up to the header's own line feed.
        const after = feeds() - countLineFeeds(raw.slice(0, found.from));
        checks.push(compare('config-header', found.announced, raw.slice(found.from), after));
      }
    } else if (evidence.dialog !== undefined) {
      const announced = lastCount(evidence.dialog, announcement);
      if (announced !== undefined) checks.push(compare('copy-dialog', announced, raw, feeds()));
    }
  }
  if (evidence.tsize !== undefined && evidence.tsize > 0)
    checks.push(compare('tftp-tsize', evidence.tsize, raw, feeds()));
  return checks;
}

export function describeSizeCheck(check: SizeCheck): string {
  const where = {
    'config-header': 'the config header announces',
    'copy-dialog': 'the copy dialog reported',
    'tftp-tsize': 'the TFTP write request announced (tsize)',
  }[check.source];
  return `${where} ${check.announced} bytes, ${check.received} arrived`;
}

function compare(source: SizeSource, announced: number, text: string, lineFeeds: number): SizeCheck {
  // LF line endings, so the record reads the same whatever the transport did to them; compared
  // generously: the device may have counted each line ending as CR LF.
  const received = Buffer.byteLength(text.includes('\r') ? text.replace(/\r+\n/g, '\n') : text);
  const generous = received + lineFeeds + 1;
  const slack = SLACK_BYTES + Math.floor(announced * SLACK_FRACTION);
  return { source, announced, received, truncated: generous + slack < announced };
}

/** The announced count and where the text it covers starts (after the header's line), if announced. */
function headerCount(raw: string, a: SizeAnnouncement): { announced: number; from: number } | undefined {
  const line = new RegExp(
    a.pattern.source,
    a.pattern.flags.replace('g', '') + (a.pattern.multiline ? '' : 'm'),
  );
  const match = line.exec(raw);
  if (!match?.[1]) return undefined;
  const end = raw.indexOf('\n', match.index + match[0].length);
  return { announced: lowest(match[1], a.unit), from: end < 0 ? raw.length : end + 1 };
}

function lastCount(text: string, a: SizeAnnouncement): number | undefined {
  const global = new RegExp(
    a.pattern.source,
    a.pattern.flags.includes('g') ? a.pattern.flags : `${a.pattern.flags}g`,
  );
  const last = [...text.matchAll(global)].at(-1)?.[1];
  return last === undefined ? undefined : lowest(last, a.unit);
}

/** The smallest value a printed number can stand for: `4.50` with unit 1000 is at least 4495 bytes. */
function lowest(printed: string, unit = 1): number {
  const decimals = printed.split('.')[1]?.length ?? 0;
  const value = Number(printed) - (decimals > 0 ? 0.5 * 10 ** -decimals : 0);
  return Math.max(0, Math.floor(value * unit));
}
