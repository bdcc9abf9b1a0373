/**
 * Reads a config line as `KEYWORD [qualifiers] VALUE` (the grammar in `rules.ts`, `SecretKeyword`)
 * and returns where the secret values are. Generic on purpose: a shape nobody listed, like
 * `ip http client password 0 X` or `bind authenticate root-dn D password 7 X`, is caught because
 * it reads like every other `password` line.
 */
import { matchesAny, unionTest } from './regex-union.js';
import { PLACEHOLDER_PATTERNS, type SecretKeyword } from './rules.js';

/** A secret value's place in the line: `[start, end)`, with the keyword that found it. */
export interface SecretSpan {
  readonly start: number;
  readonly end: number;
  readonly keyword: string;
}

/** Cipher and hash names between a keyword and its value (`auth sha X`, `priv aes 128 X`). */
export const ALGORITHM = /^(?:hmac-|ah-)?(?:md5|sha(?:-?\d+)*|aes(?:-?(?:cbc|gcm|cmac|\d+))*|3?des|esp)$/;

/** Words that say how the value is written, not what it is (type digits are numbers, below). */
const ENCODING =
  /^(?:encrypted|unencrypted|hidden|clear|cleartext|plain|plaintext|ascii|hex|level|local|remote)$/;

/** Hex key material as printed for OSPFv3 IPsec, SNMP localized keys and type-3/7 strings. */
export const KEY_MATERIAL = /^(?:0x)?[0-9A-Fa-f]{8,}$/;

/**
 * Tokens that stand where a value would but name something else: a key chain, the default or
 * no password, a peer address (`pre-shared-key address A key K` puts the key after `key`).
 */
const NOT_A_VALUE = /^(?:key-chain|keychain|default|none|address|hostname)$/;

/**
 * Up to five digits (`/^\d{1,5}$/`): skipped as an id, a level, a port or a key length when something
 * follows it; ending the line it is the value (`ip ospf authentication-key 1234`).
 */
function isSmallNumber(text: string): boolean {
  return text.length > 0 && text.length <= 5 && digitsOnly(text);
}

/** A type digit (`/^\d$/`): `7` in `key 7 X`. */
function isTypeDigit(text: string): boolean {
  return text.length === 1 && digitsOnly(text);
}

/** Every character is an ASCII digit (what `\d` matches), read without a regular expression call. */
function digitsOnly(text: string): boolean {
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

const encodingOrAlgorithm = unionTest([ENCODING, ALGORITHM]);

/** What may stand between a keyword and its value: a number, an encoding word or an algorithm. */
function isQualifier(text: string): boolean {
  return isSmallNumber(text) || encodingOrAlgorithm(text);
}

/**
 * Per token text, the keywords whose word it is (in list order): the same words come back on line
 * after line of a config (`ip`, `ospf`, `message-digest-key`, `md5`, `7`), so a config's tokens are
 * each read against the words once. Made per config (`maskSecrets`) and dropped with it.
 */
export type KeywordWords = Map<string, readonly SecretKeyword[]>;

const noKeywords: readonly SecretKeyword[] = [];

export function findKeywordSecrets(
  line: string,
  keywords: readonly SecretKeyword[],
  words: KeywordWords = new Map(),
): SecretSpan[] {
  const count = tokenize(line);
  const spans: SecretSpan[] = [];
  const texts = tokenTexts;
  for (let index = 0; index < count; index++) {
    const keyword = keywordAt(texts[index] as string, line, keywords, words);
    if (!keyword) continue;
    let next = index + 1;
    if (keyword.notBefore?.test(next < count ? (texts[next] as string) : '')) continue;
    if (keyword.positional) {
      if (next < count && !isPlaceholder(texts[next] as string)) {
        spans.push({ start: tokenStarts[next] as number, end: valueEnd(next, count), keyword: keyword.name });
        // A value is not read as a keyword (`snmp-server community secret RO`).
        index = next;
      }
      continue;
    }
    let qualified = false;
    let typed = false;
    // A qualifier is skipped only when something follows it: in `key 7` the 7 is the value's place.
    while (next < count - 1 && isQualifier(texts[next] as string)) {
      qualified ||= ALGORITHM.test(texts[next] as string);
      typed ||= isTypeDigit(texts[next] as string);
      next += 1;
    }
    if (next >= count) continue;
    const candidate = texts[next] as string;
    if (NOT_A_VALUE.test(candidate)) continue;
    if (isPlaceholder(candidate)) continue; // masked by a shape
    // A keyword is a value only at the end of the line (`password 0 secret`); elsewhere it starts its own phrase.
    if (next < count - 1 && keywordAt(candidate, line, keywords, words)) continue;
    if (keyword.qualified && !qualified && !KEY_MATERIAL.test(candidate)) continue;
    // After a type digit the value is whatever the type says (`ah-md5 0 PLAIN`).
    if (keyword.value && !typed && !keyword.value.test(candidate)) continue;
    const start = tokenStarts[next] as number;
    if (spanAt(spans, start)) continue;
    spans.push({ start, end: valueEnd(next, count), keyword: keyword.name });
  }
  // The texts are slices of the line: not kept past it.
  texts.fill('', 0, count);
  return spans;
}

/*
 * These functions make no closure: one capturing a variable of the loop's body (the candidate, the
 * start) or a parameter (the line) would have each pass or call allocate a context for it, some 50
 * bytes per token.
 */

/** A placeholder a shape left (`<removed>`, `<secret:...>`). */
function isPlaceholder(text: string): boolean {
  for (const pattern of PLACEHOLDER_PATTERNS) if (pattern.test(text)) return true;
  return false;
}

/** Whether a span starting at `start` was found already. */
function spanAt(spans: readonly SecretSpan[], start: number): boolean {
  for (const span of spans) if (span.start === start) return true;
  return false;
}

/** The keywords whose word `text` is, in list order. */
function keywordsOf(text: string, keywords: readonly SecretKeyword[]): SecretKeyword[] {
  const named: SecretKeyword[] = [];
  for (const keyword of keywords) if (keyword.word.test(text)) named.push(keyword);
  return named;
}

/** The keyword whose word `text` is and which applies on `line`, if any. */
function keywordAt(
  text: string,
  line: string,
  keywords: readonly SecretKeyword[],
  words: KeywordWords,
): SecretKeyword | undefined {
  let named = words.get(text);
  if (named === undefined) {
    // Most tokens are no keyword: one union test each, and each keyword's own test only for those that are.
    named = matchesAny(keywords)(text) ? keywordsOf(text, keywords) : noKeywords;
    words.set(text, named);
  }
  for (const keyword of named) {
    if ((keyword.on?.test(line) ?? true) && !(keyword.notOn?.test(line) ?? false)) return keyword;
  }
  return undefined;
}

/**
 * Where the value starting at token `index` ends: a quoted value runs to its closing quote (NX-OS
 * `key 7 "a b"`); a value ending a quoted command (EEM `cli command "... password X"`) stops
 * before the quote.
 */
function valueEnd(index: number, count: number): number {
  const text = tokenTexts[index] as string;
  const end = tokenEnds[index] as number;
  if (text.startsWith('"')) {
    if (text.length > 1 && text.endsWith('"')) return end;
    for (let at = index + 1; at < count; at++) {
      if ((tokenTexts[at] as string).endsWith('"')) return tokenEnds[at] as number;
    }
    return end;
  }
  return text.endsWith('"') && text.length > 1 ? end - 1 : end;
}

/**
 * The tokens of the line being read: each `\S+` run's text, start and end, in arrays reused from
 * line to line (the reading is synchronous and never nested), where an object per token made some
 * 400 bytes of garbage per keyword line. `tokenize` fills the first entries and says how many.
 */
const tokenTexts: string[] = [];
let tokenStarts = new Int32Array(32);
let tokenEnds = new Int32Array(32);

function addToken(count: number, line: string, start: number, end: number): number {
  if (count === tokenStarts.length) {
    const starts = new Int32Array(count * 2);
    const ends = new Int32Array(count * 2);
    starts.set(tokenStarts);
    ends.set(tokenEnds);
    tokenStarts = starts;
    tokenEnds = ends;
  }
  tokenTexts[count] = line.slice(start, end);
  tokenStarts[count] = start;
  tokenEnds[count] = end;
  return count + 1;
}

/** The line's `\S+` runs, found by a scan of its characters (no match objects per token): how many. */
function tokenize(line: string): number {
  if (!otherBlank.test(line)) return spaceSeparated(line);
  let count = 0;
  let start = -1;
  for (let at = 0; at <= line.length; at++) {
    const blank = at === line.length || isBlank(line.charCodeAt(at));
    if (blank && start >= 0) {
      count = addToken(count, line, start, at);
      start = -1;
    } else if (!blank && start < 0) start = at;
  }
  return count;
}

/** A blank other than the space (a tab, a Unicode space): such lines are scanned character by character. */
const otherBlank = /[^\S ]/;

/** `tokenize` for a line whose only blank is the space (nearly every config line): the spaces found by `indexOf`. */
function spaceSeparated(line: string): number {
  let count = 0;
  for (let start = 0; start < line.length;) {
    if (line.charCodeAt(start) === 32) {
      start += 1;
      continue;
    }
    const space = line.indexOf(' ', start);
    const end = space < 0 ? line.length : space;
    count = addToken(count, line, start, end);
    start = end + 1;
  }
  return count;
}

/** What `\s` matches: ASCII blanks, and the Unicode spaces and separators (tested by the regex). */
function isBlank(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  return code > 127 && whitespace.test(String.fromCharCode(code));
}

const whitespace = /\s/;
