/**
 * Where the first of a set of line patterns (a platform's error markers) matches in a command's
 * output: the index the union of their sources (`(?:a)|(?:b)|...`, multiline) finds, without running
 * that union over every character of a 50 KB config. Each pattern's match needs a string no match
 * is without (`%` for `^% ?Invalid input`, `Command authorization failed`): found with `indexOf`
 * (a memchr for its first character), and only the lines holding one are tried with the union.
 *
 * Exact, not a heuristic: a pattern is only searched this way when its source shows that every
 * match of it lies within one line (no class, whitespace or negated escape that could match a line
 * terminator, no lookaround, no backreference, no top-level alternative) and holds a literal run of
 * characters; otherwise the union runs over the whole text, as before. The union over one line's
 * text finds what it finds there in the whole text: the line starts after a line terminator (`^`
 * matches, `\b` sees a non-word character) and ends before one (`$`). After a few candidate lines
 * without a match (an output full of `%`), the union takes the rest of the text in one scan.
 */

/** JavaScript's line terminators: where `^` and `$` match in a multiline regex, what `.` never matches. */
function isLineTerminator(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

/** Escapes of a letter that never match a line terminator (`\d`, `\w`, `\S`) or match none (`\b`, `\B`). */
const confinedEscapes = 'dwSbB';

/**
 * The first literal run of a pattern's source that every match contains, or undefined when the
 * source is not one this reads as confined to a line (then the whole text is scanned).
 */
export function requiredLiteral(source: string): string | undefined {
  const runs: string[] = [];
  let run = '';
  let i = source.startsWith('^') ? 1 : 0;
  while (i < source.length) {
    const c = source[i] as string;
    let literal: string | undefined;
    let next = i + 1;
    if (c === '\\') {
      const escaped = source[i + 1];
      if (escaped === undefined) return undefined;
      if (/[A-Za-z0-9]/.test(escaped)) {
        if (!confinedEscapes.includes(escaped)) return undefined;
      } else if (isLineTerminator(escaped.charCodeAt(0))) return undefined;
      else literal = escaped;
      next = i + 2;
    } else if (c === '(') {
      const end = confinedGroupEnd(source, i);
      if (end < 0) return undefined;
      next = end + 1;
    } else if (c === '.' || c === '^' || c === '$') {
      // `.` matches no line terminator (no `s` flag in the union); `^`, `$` consume nothing.
    } else if ('[]{}|)*+?'.includes(c) || isLineTerminator(c.charCodeAt(0))) {
      return undefined;
    } else {
      literal = c;
    }
    const quantifier = source[next];
    if (quantifier === '{') return undefined;
    if (quantifier === '*' || quantifier === '+' || quantifier === '?') {
      // An optional or repeated character is not a fixed part of the match: the run ends here.
      literal = undefined;
      next += source[next + 1] === '?' ? 2 : 1;
    }
    if (literal === undefined) {
      if (run !== '') runs.push(run);
      run = '';
    } else {
      run += literal;
    }
    i = next;
  }
  if (run !== '') runs.push(run);
  return runs[0];
}

/** The index of the `)` closing the group opened at `open`, or -1 if its contents could leave a line. */
function confinedGroupEnd(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const escaped = source[i + 1];
      if (escaped === undefined || isLineTerminator(escaped.charCodeAt(0))) return -1;
      if (/[A-Za-z0-9]/.test(escaped) && !confinedEscapes.includes(escaped)) return -1;
      i++;
    } else if (c === '(') {
      // Only plain and non-capturing groups: no lookaround, no named group.
      if (source[i + 1] === '?' && source[i + 2] !== ':') return -1;
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    } else if (c === '[' || c === '{' || isLineTerminator(c.charCodeAt(0))) {
      return -1;
    }
  }
  return -1;
}

/**
 * The strings to search for: each pattern's required run; a run holding another one is left out
 * (its lines are the other's too), and runs that begin with the same punctuation (`% Invalid`,
 * `% Incomplete`) are searched as that one character.
 */
function searchKeys(markers: readonly RegExp[]): string[] | undefined {
  const runs: string[] = [];
  for (const marker of markers) {
    const run = requiredLiteral(marker.source);
    if (run === undefined) return undefined;
    runs.push(run);
  }
  const shared = (run: string) =>
    !/[A-Za-z0-9 ]/.test(run[0] as string) && runs.some((other) => other !== run && other[0] === run[0]);
  const keys = [...new Set(runs.map((run) => (shared(run) ? (run[0] as string) : run)))];
  return keys.filter((key) => !keys.some((other) => other !== key && key.includes(other)));
}

/** Candidate lines tried one by one before the union scans the rest of the text. */
const MAX_LINE_TRIES = 32;

export interface LineMarkers {
  /** The index where the first match begins (what the union's `exec(text).index` is), or -1. */
  first(text: string): number;
}

/** One scanner per list of patterns (a platform's, shared by its sessions): the sources are read once. */
const scanners = new WeakMap<readonly RegExp[], LineMarkers>();

export function lineMarkers(markers: readonly RegExp[]): LineMarkers {
  let scanner = scanners.get(markers);
  if (scanner === undefined) scanners.set(markers, (scanner = newScanner(markers)));
  return scanner;
}

function newScanner(markers: readonly RegExp[]): LineMarkers {
  const source = markers.map((m) => `(?:${m.source})`).join('|');
  const union = new RegExp(source, 'm');
  const keys = markers.length === 0 ? undefined : searchKeys(markers);
  if (keys === undefined) return { first: (text) => union.exec(text)?.index ?? -1 };
  const rest = new RegExp(source, 'gm');
  return {
    first(text: string): number {
      const next = keys.map((key) => text.indexOf(key));
      let from = 0;
      for (let tries = 0; ; tries++) {
        let at = -1;
        for (let k = 0; k < keys.length; k++) {
          let found = next[k] as number;
          if (found >= 0 && found < from) next[k] = found = text.indexOf(keys[k] as string, from);
          if (found >= 0 && (at < 0 || found < at)) at = found;
        }
        if (at < 0) return -1;
        let start = at;
        while (start > 0 && !isLineTerminator(text.charCodeAt(start - 1))) start--;
        if (tries === MAX_LINE_TRIES) {
          rest.lastIndex = start;
          const found = rest.exec(text);
          rest.lastIndex = 0;
          return found ? found.index : -1;
        }
        let end = at;
        while (end < text.length && !isLineTerminator(text.charCodeAt(end))) end++;
        const found = union.exec(text.slice(start, end));
        if (found) return start + found.index;
        from = end + 1;
      }
    },
  };
}
