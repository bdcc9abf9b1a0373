/**
 * The echo of a typed line, trusted for nothing: how long to wait for it before sending the return
 * anyway, and where to cut it out of the output wherever it arrived (before or after the return,
 * keystroke by keystroke or as a whole line, wrapped at the terminal width or scrolled with `$`
 * markers, or not at all).
 *
 * The wait bound comes from round trips measured on the session itself (a write until the first
 * byte back), like TCP's retransmission timer (RFC 6298): smoothed RTT plus four deviations,
 * at least four RTTs, within [floorMs, ceilingMs]. An echo is one round trip plus the CLI's
 * keystroke handling, so a device that echoes at all echoes well inside it; one that never echoes
 * costs that bound per command, not the command's time limit.
 */
import { echoForm } from './clean.js';

export interface EchoBoundOptions {
  /** Never wait less: scheduling noise on a loaded client is a few ms. @default 25 */
  readonly floorMs?: number | undefined;
  /** Never wait more: beyond this a person would have typed the return too. @default 1000 */
  readonly ceilingMs?: number | undefined;
  /** Before the first sample. @default 250 */
  readonly initialMs?: number | undefined;
}

export class EchoBound {
  readonly #floor: number;
  readonly #ceiling: number;
  readonly #initial: number;
  #srtt: number | undefined;
  #rttvar = 0;
  #samples = 0;

  constructor(options: EchoBoundOptions = {}) {
    this.#floor = options.floorMs ?? 25;
    this.#ceiling = options.ceilingMs ?? 1000;
    this.#initial = options.initialMs ?? 250;
  }

  /** One measured round trip (a write until the first byte back). */
  sample(ms: number): void {
    this.#samples += 1;
    if (this.#srtt === undefined) {
      this.#srtt = ms;
      this.#rttvar = ms / 2;
      return;
    }
    this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - ms);
    this.#srtt = 0.875 * this.#srtt + 0.125 * ms;
  }

  get samples(): number {
    return this.#samples;
  }

  /** The smoothed round trip, once measured. */
  get rttMs(): number | undefined {
    return this.#srtt;
  }

  /** How long to wait for an echo now. */
  get ms(): number {
    if (this.#srtt === undefined) return this.#initial;
    const bound = Math.max(this.#srtt + 4 * this.#rttvar, 4 * this.#srtt);
    return Math.round(Math.min(this.#ceiling, Math.max(this.#floor, bound)));
  }
}

/** Lines that may precede the echo: empty ones and a bare prompt left over from a resync. */
const prompt = /^[\w.\-@/:()]{1,80}[#>]$/;

/**
 * The index of the first output line after the echo of `input` in cleaned `lines`, or after the
 * return's line feed when no echo is there. Only the first few lines are looked at, and an echo must
 * start at the beginning of its line (after a left-over prompt at most), so an output line that
 * merely contains the command (`!Command: show running-config`) is never taken for it.
 */
export function outputStart(lines: readonly string[], input: string): number {
  const wanted = echoForm(input);
  if (wanted === '') return 0;
  let first = 0;
  while (first < lines.length && skippable(lines[first] as string)) first++;
  let seen = '';
  for (let i = first; i < Math.min(lines.length, first + 8); i++) {
    const form = echoForm(lines[i] as string);
    const line = seen === '' && !wanted.startsWith(form.replace(/^\$/, '')) ? withoutPrompt(form) : form;
    // IOS scrolls a line longer than the terminal: `$` marks text hidden to the left or right.
    const scrolled = /^\$|\$$/.test(line);
    const shown = scrolled ? line.replace(/^\$|\$$/g, '') : line;
    if (scrolled && shown !== '' && wanted.includes(shown) && seen === '') return i + 1;
    seen += shown;
    if (seen === wanted) return i + 1;
    if (!wanted.startsWith(seen)) break;
  }
  return afterReturn(lines, first);
}

/** Lines split off a command's output to find where it starts: a long output is never split whole. */
const HEAD_LINES = 64;

/**
 * `body` (a command's cleaned output lines, its closing prompt line left out) from the line
 * `outputStart` finds: the same text as splitting it all and joining the lines from there, with
 * only the first lines split (a 50 KB config would make some 1,500 strings and a copy).
 */
export function outputAfterEcho(body: string, input: string): string {
  let lines = body.split('\n', HEAD_LINES);
  // outputStart reads up to 8 lines past the first one it cannot skip: the head must hold them.
  const kept = lines.findIndex((line) => !skippable(line));
  if (lines.length === HEAD_LINES && (kept < 0 || kept + 8 > HEAD_LINES)) lines = body.split('\n');
  const start = input.trim() === '' ? 1 : outputStart(lines, input);
  let at = 0;
  for (let line = 0; line < start; line++) {
    const feed = body.indexOf('\n', at);
    if (feed < 0) return '';
    at = feed + 1;
  }
  return body.slice(at);
}

/** With no echo: past any left-over prompt, and past the return's own line feed. */
function afterReturn(lines: readonly string[], skippableUntil: number): number {
  let from = 0;
  for (let i = 0; i < skippableUntil; i++) if (echoForm(lines[i] as string) !== '') from = i + 1;
  return from < lines.length && echoForm(lines[from] as string) === '' ? from + 1 : from;
}

function skippable(line: string): boolean {
  const shown = line.trim();
  return shown === '' || prompt.test(shown);
}

/** `r1#show version` when a left-over prompt shares the echo's line. */
function withoutPrompt(form: string): string {
  const found = /^[\w.\-@/:()]{1,80}[#>]/.exec(form);
  return found ? form.slice(found[0].length) : form;
}
