/**
 * The echo is trusted for nothing: it is cut out wherever and however it arrived, and the wait for
 * it ends at a bound measured from the session's round trips. Durations are never asserted: the
 * channel counts its waits and how they ended.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanTerminalText } from '../../src/channel/clean.js';
import { EchoBound, outputAfterEcho, outputStart } from '../../src/channel/echo.js';
import { openCliSession } from '../../src/platforms/session.js';
import { useTempDir } from '../helpers/fixture.js';
import { useLoopbackLab } from '../helpers/labs.js';
import { labHost } from '../platforms/lab-hosts.js';

/** What the channel's result keeps of a raw read: cleaned lines after the echo, prompt dropped. */
function output(raw: string, input: string): string {
  const cleaned = cleanTerminalText(raw);
  const end = cleaned.lastIndexOf('\n');
  return end < 0 ? '' : outputAfterEcho(cleaned.slice(0, end), input);
}

/** The same by splitting every line and joining them again (what outputAfterEcho spares a long output). */
function outputBySplitting(raw: string, input: string): string {
  const lines = cleanTerminalText(raw).split('\n');
  lines.pop();
  return lines.slice(input.trim() === '' ? 1 : outputStart(lines, input)).join('\n');
}

const cmd = 'show running-config | include hostname';

describe('cutting the echo out', () => {
  it.each([
    ['keystroke echo before the return', `${cmd}\r\nhostname r1\r\nr1#`],
    ['whole line after the return', `\r\n${cmd}\r\nhostname r1\r\nr1#`],
    ['no echo at all, only the return', `\r\nhostname r1\r\nr1#`],
    ['no echo and no line feed', `hostname r1\r\nr1#`],
    ['wrapped at the terminal width', `show running-config | inc\r\nlude hostname\r\nhostname r1\r\nr1#`],
    [
      'scrolled with a $ marker',
      `show running-config | i\r$ing-config | include hostname\r\nhostname r1\r\nr1#`,
    ],
    ['scrolled, marker shown after redraw', `$ | include hostname\r\nhostname r1\r\nr1#`],
    ['a typo erased with backspaces', `show runx\b \bning-config | include hostname\r\nhostname r1\r\nr1#`],
    ['CR CR LF line ends', `${cmd}\r\r\nhostname r1\r\r\nr1#`],
    ['LF CR line ends', `${cmd}\n\rhostname r1\n\rr1#`],
    ['LF only', `${cmd}\nhostname r1\nr1#`],
    ['a left-over prompt before the echo', `\r\nr1#${cmd}\r\nhostname r1\r\nr1#`],
    ['a left-over prompt line, then no echo', `\r\nr1#\r\nhostname r1\r\nr1#`],
  ])('%s', (_name, raw) => {
    expect(output(raw, cmd)).toBe('hostname r1');
  });

  it('keeps an output line that merely contains the command (NX-OS header) when nothing was echoed', () => {
    const raw =
      '\r\n\r\n!Command: show running-config\r\n!Time: Mon Dec  1 14:37:04 2025\r\n\r\nversion 10.4(5)\r\nswitch# ';
    expect(output(raw, 'show running-config')).toBe(
      '\n!Command: show running-config\n!Time: Mon Dec  1 14:37:04 2025\n\nversion 10.4(5)',
    );
  });

  it('keeps a first output line that is no prompt, with no echo before it', () => {
    expect(output('\r\nLoad: 100%\r\nr1#', 'show processes cpu | include Load')).toBe('Load: 100%');
  });

  it('cuts a long output where splitting all of it would, however many lines precede the echo', () => {
    const config = Array.from({ length: 300 }, (_, i) => `interface Gi0/${i}`).join('\r\n');
    const echoed = [
      `${cmd}\r\n${config}\r\nr1#`,
      // Blank lines and left-over prompts before the echo, ending before, at and past the lines split first.
      `${'\r\n'.repeat(50)}${cmd}\r\n${config}\r\nr1#`,
      `${'\r\n'.repeat(58)}${cmd}\r\n${config}\r\nr1#`,
      `${'r1#\r\n'.repeat(70)}${cmd}\r\n${config}\r\nr1#`,
    ];
    for (const raw of echoed) {
      expect(output(raw, cmd)).toBe(outputBySplitting(raw, cmd));
      expect(output(raw, cmd).split('\n')).toHaveLength(300);
    }
    for (const raw of [`\r\n${config}\r\nr1#`, `${'\r\n'.repeat(70)}${config}\r\nr1#`, `${config}\r\nr1#`]) {
      expect(output(raw, cmd)).toBe(outputBySplitting(raw, cmd));
      expect(output(raw, cmd)).toContain('interface Gi0/299');
    }
    expect(output(`\r\n${config}\r\nr1#`, '')).toBe(outputBySplitting(`\r\n${config}\r\nr1#`, ''));
  });

  it('keeps the blank line NX-OS starts its output with after an echo', () => {
    const raw = 'show running-config\r\n\r\n!Command: show running-config\r\nswitch# ';
    expect(output(raw, 'show running-config')).toBe('\n!Command: show running-config');
  });
});

describe('the echo bound', () => {
  it('starts at the initial value, follows the measured round trips, and stays within floor and ceiling', () => {
    const bound = new EchoBound({ floorMs: 25, ceilingMs: 1000, initialMs: 250 });
    expect(bound.ms).toBe(250);
    for (let i = 0; i < 20; i++) bound.sample(1);
    expect(bound.ms).toBe(25);
    for (let i = 0; i < 50; i++) bound.sample(40);
    expect(bound.ms).toBeGreaterThanOrEqual(160);
    expect(bound.ms).toBeLessThan(250);
    for (let i = 0; i < 50; i++) bound.sample(5000);
    expect(bound.ms).toBe(1000);
    expect(bound.samples).toBe(120);
  });
});

describe('sessions with and without echo (lab)', () => {
  const lab = useLoopbackLab({
    devices: 3,
    platforms: ['ios'],
    snmp: false,
    bootMs: 200,
    overrides: { r2: { faults: { echo: 'none' } }, r3: { faults: { garbage: true } } },
  });
  const knownHostsDir = useTempDir('netops-echo-');

  it.each([
    ['echoes keystrokes', 0],
    ['echoes nothing', 1],
  ])(
    'a device that %s: one bounded wait per typed line, output without the command line',
    async (_name, index) => {
      const device = lab.devices[index]!;
      const session = await openCliSession({
        host: { ...labHost(lab, device, '127.0.0.1'), transport: 'telnet', port: device.ports.telnet },
        secret: async (ref) => ('value' in ref ? ref.value : ''),
        // Far above the echo bound: a wait that ran to the command limit would fail the count below.
        timeouts: { loginMs: 20_000, commandMs: 20_000 },
      });
      try {
        const running = await session.send('show running-config');
        const typed = session.platform.sessionSetup.length + 1;
        const stats = session.channel.echoStats;
        expect(stats.waits).toBe(typed);
        if (index === 1) expect(stats.unanswered).toBe(typed);
        expect(stats.maxBoundMs).toBeLessThanOrEqual(1000);
        // The login exchange and the resync return were measured before the first command was typed.
        expect(stats.roundTrips).toBeGreaterThanOrEqual(3);
        expect(running.text.split('\n').slice(0, 3)).toEqual([
          'Building configuration...',
          '',
          expect.stringMatching(/^Current configuration : \d+ bytes$/),
        ]);
        expect(running.text).not.toMatch(/show running-config/);
        expect(running.text.trimEnd()).toMatch(/\nend$/);
      } finally {
        await session.close();
      }
    },
  );

  it('stray bytes before every prompt do not hide it (issue 14: "device is hung" after 30 s at r30#)', async () => {
    const device = lab.devices[2]!;
    const session = await openCliSession({
      host: labHost(lab, device, '127.0.0.1'),
      secret: async (ref) => ('value' in ref ? ref.value : ''),
      knownHostsFile: path.join(knownHostsDir, 'known-hosts'),
      // Far below the 30 s the prompt used to be waited for: each prompt must be seen when it arrives.
      timeouts: { loginMs: 10_000, commandMs: 10_000 },
    });
    try {
      expect(session.privilege).toBe('privilege-exec');
      const running = await session.send('show running-config');
      expect(running.prompt).toBe('r3#');
      expect(running.text).toContain('hostname r3');
      expect(running.raw).toContain('\u0000');
    } finally {
      await session.close();
    }
  });
});
