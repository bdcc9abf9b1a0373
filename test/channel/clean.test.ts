/** What the channel makes of terminal bytes, with transcripts shaped like device-reference §1.3, §1.9. */
import { describe, expect, it } from 'vitest';
import { cleanTerminalText, echoForm, lastLine } from '../../src/channel/clean.js';

describe('terminal text cleaning', () => {
  it('removes the IOS pager and its backspace erasure', () => {
    const raw = 'line 1\r\n --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bline 2\r\n';
    expect(cleanTerminalText(raw)).toBe('line 1\nline 2\n');
  });

  it('normalises NX-OS line endings and the bare CR before the prompt', () => {
    expect(cleanTerminalText('a\r\r\nb\r\n\rswitch# ')).toBe('a\nb\nswitch# ');
    expect(lastLine('out\r\n\rswitch# ')).toBe('switch# ');
  });

  it('makes any run of CRs before a line feed one line feed, at the start, middle and end', () => {
    expect(cleanTerminalText('\r\r\r\nfirst\r\n\r\r\nthird\r\r\n')).toBe('\nfirst\n\nthird\n');
    expect(cleanTerminalText('\n\r\nno CR\nend')).toBe('\n\nno CR\nend');
    // A CR before a CR LF on its own line is a CR run too; a CR elsewhere still overwrites.
    expect(cleanTerminalText('ab\r\r\r\ncd\rX\r\n')).toBe('ab\nXd\n');
    expect(cleanTerminalText(`a${'\r'.repeat(5000)}\nb\r\r\n`)).toBe('a\nb\n');
  });

  it('strips ANSI colour, cursor and bracketed-paste sequences', () => {
    expect(cleanTerminalText('\x1b[?2004h\x1b[1;32mfrr1#\x1b[0m \x1b[K')).toBe('frr1# ');
  });

  it('applies CR overwrites the way a terminal shows them', () => {
    expect(cleanTerminalText('Loading...\rDone')).toBe('Doneing...');
    expect(cleanTerminalText('abc\r\n')).toBe('abc\n');
  });

  it('compares echoes without case, whitespace or backspaces', () => {
    expect(echoForm('SHOW  rux\bn')).toBe('showrun');
    expect(echoForm('show running-config')).toBe('showrunning-config');
  });
});
