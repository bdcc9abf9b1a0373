/**
 * A device that hangs, drops the session mid-output, pages forever or changes its prompt fails on
 * its own, with its own code, within its time limit, while a healthy session next to it works.
 */
import { describe, expect, it } from 'vitest';
import type { SecretRef } from '../../src/config/model.js';
import { openCliSession, type CliSession } from '../../src/platforms/session.js';
import { useStarted } from '../helpers/fixture.js';
import { fakeDevice, fakeDeviceHost } from './fake-device.js';

const device = useStarted(() => fakeDevice());
const secret = async (ref: SecretRef) => ('value' in ref ? ref.value : '');

const open = (password?: string): Promise<CliSession> =>
  openCliSession({
    host: fakeDeviceHost(device.port, password),
    secret,
    timeouts: { loginMs: 3000, commandMs: 800 },
    limits: { maxPages: 100 },
  });

describe('misbehaving devices fail alone', () => {
  it.each([
    ['show hang', 'PROMPT_TIMEOUT', /the prompt after "show hang" did not come .*within 0.8s.*starting/],
    [
      'show close',
      'CLOSED_BY_PEER',
      /closed the telnet session.*while waiting for the prompt after "show close"/,
    ],
    ['show paging', 'OUTPUT_TOO_LARGE', /paged more than/],
    ['show prompt-change', 'PROMPT_TIMEOUT', /other-box\$/],
  ])('%s fails with %s while a healthy session still works', async (command, code, message) => {
    const [faulty, healthy] = await Promise.all([open(), open()]);
    try {
      const failure = faulty
        .send(command, command === 'show paging' ? { timeoutMs: 10_000 } : {})
        .catch((e: unknown) => e);
      const fine = await healthy.send('show ok');
      expect(fine.text).toBe('all good');
      const error = (await failure) as { code: string; message: string; hint: string };
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.hint.length).toBeGreaterThan(10);
    } finally {
      await faulty.close();
      await healthy.close();
    }
  });

  it('refuses a wrong password with AUTH_FAILED and the device message', async () => {
    const error = (await open('wrong').catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toMatch(/Login incorrect/);
  });

  it('cleans ANSI sequences, pager erasure and CR variants out of the text', async () => {
    const session = await open();
    try {
      const result = await session.send('show ansi');
      expect(result.text).toBe('bold line\nsecond\nlast');
      expect(result.raw).toContain('\x1b[1m');
    } finally {
      await session.close();
    }
  });

  it('answers dialogs in order and turns device errors into COMMAND_REJECTED', async () => {
    const session = await open();
    try {
      const saved = await session.dialog({
        command: 'copy running-config startup-config',
        steps: [{ question: /Destination filename \[startup-config\]\?\s*$/, answer: '' }],
      });
      expect(saved.text).toContain('[OK]');
      const refused = (await session.send('show nonsense').catch((e: unknown) => e)) as {
        code: string;
        message: string;
      };
      expect(refused.code).toBe('COMMAND_REJECTED');
      expect(refused.message).toContain("% Invalid command at '^' marker.");
      const missing = (await session
        .dialog({ command: 'show ok', steps: [{ question: /\[confirm\]\s*$/, answer: '' }] })
        .catch((e: unknown) => e)) as { code: string };
      expect(missing.code).toBe('DIALOG_UNEXPECTED');
    } finally {
      await session.close();
    }
  });
});
