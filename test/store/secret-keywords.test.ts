/**
 * The keyword grammar reads a line's tokens from arrays it reuses from line to line: a line of
 * more tokens than they first hold, one scanned character by character (tabs), and a short line
 * after a long one read as they would alone.
 */
import { describe, expect, it } from 'vitest';
import { commonKeywords } from '../../src/store/common-rules.js';
import { findKeywordSecrets } from '../../src/store/secret-keywords.js';

/** The masked values of `line`, as text. */
const values = (line: string) =>
  findKeywordSecrets(line, commonKeywords).map((span) => [line.slice(span.start, span.end), span.keyword]);

describe('findKeywordSecrets', () => {
  it('reads a line of many tokens as it reads its end alone, wherever the value starts', () => {
    const filler = Array.from({ length: 70 }, (_, i) => `w${i}`).join(' ');
    for (const tail of ['key 7 "a b c"', 'password 0 s3cret', 'snmp-server community C0mm RO']) {
      const alone = values(tail);
      expect(alone).not.toEqual([]);
      expect(values(`${filler} ${tail}`)).toEqual(tail.startsWith('snmp') ? [] : alone);
      // A short line after the long one: nothing of the long one's tokens is read.
      expect(values(tail)).toEqual(alone);
    }
    expect(values(`snmp-server ${filler} community C0mm RO`)).toEqual([['C0mm', 'snmp community']]);
  });

  it('reads tab-separated and space-separated lines alike', () => {
    expect(values('\tpassword\t0\tsecret1')).toEqual([['secret1', 'password/secret/passphrase']]);
    expect(values(' password 0 secret1')).toEqual([['secret1', 'password/secret/passphrase']]);
    expect(values('key\u00a07\u00a0"x y"')).toEqual([['"x y"', 'key']]);
  });

  it('stops a value before the quote that closes a quoted command', () => {
    expect(values('action 1 cli command "username u password 0 p4ss"')).toEqual([
      ['p4ss', 'password/secret/passphrase'],
    ]);
  });
});
