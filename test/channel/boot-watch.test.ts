/**
 * Following a boot on the session's own channel: known questions answered once the reload is
 * confirmed, a question-shaped line that more boot log follows is no question, a quiet unknown
 * question stops the watch, and the login prompt that ends it stays for the login after it.
 */
import { describe, expect, it } from 'vitest';
import { followBoot, watchBoot, type BootQuestion } from '../../src/channel/boot-watch.js';
import { Channel } from '../../src/channel/channel.js';
import type { NetopsError } from '../../src/core/errors.js';
import type { Transport } from '../../src/transport/transport.js';

/** A console line in memory: the test plays the device, answering what the channel writes. */
function consoleLine(device: (typed: string, say: (text: string) => void) => void) {
  const listeners = new Set<(chunk: Buffer) => void>();
  const typed: string[] = [];
  const say = (text: string) => listeners.forEach((listener) => listener(Buffer.from(text)));
  const transport: Transport = {
    kind: 'console',
    peer: 'memory',
    newline: '\r\n',
    write: (data) => {
      typed.push(String(data));
      device(String(data), say);
    },
    onData: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose: () => () => undefined,
    closed: undefined,
    isAlive: () => true,
    sendBreak: () => undefined,
    close: async () => undefined,
  };
  return { channel: new Channel(transport, { host: 'n1' }), typed, say };
}

const poap: BootQuestion = {
  question: /Abort Power On Auto Provisioning .*\(yes\/skip\/no\)\[no\]:\s*$/,
  answer: async () => 'yes',
};
const login = /login:\s*$/;
const dayLong = 86_400_000;

describe('following a boot on the channel', () => {
  it('answers a known question, reads past question-shaped log lines, and leaves the login prompt unread', async () => {
    const { channel, typed, say } = consoleLine((text, reply) => {
      if (text !== 'yes\r\n') return;
      reply('\r\nDisabling POAP...\r\nSystem is coming up:');
      // The rest of the line comes in a later turn of the event loop, before any timer can run.
      setImmediate(() => reply(' done\r\nswitch login: '));
    });
    const following = followBoot(channel, {
      questions: [poap],
      done: [login],
      timeoutMs: dayLong,
      unknownQuestionMs: 1,
      waitingFor: 'a login prompt',
      leavePrompt: true,
      host: 'n1',
    });
    say('Loader Version 2.12\r\nINIT: version 2\r\n');
    say('Abort Power On Auto Provisioning [yes - continue] (yes/skip/no)[no]: ');
    const followed = await following;
    expect(typed).toEqual(['yes\r\n']);
    expect(followed.answered).toEqual([
      'Abort Power On Auto Provisioning [yes - continue] (yes/skip/no)[no]:',
    ]);
    expect(followed.prompt).toBe('switch login: ');
    // The login after the boot finds the prompt still there.
    const next = await channel.readUntil([login], {
      timeoutMs: dayLong,
      waitingFor: 'the login prompt again',
    });
    expect(next.line).toBe('switch login: ');
  });

  it('stops at a question it does not know once the line stays quiet, typing nothing', async () => {
    const { channel, typed, say } = consoleLine(() => undefined);
    const watch = watchBoot(channel, {
      questions: [poap],
      done: [login],
      timeoutMs: dayLong,
      unknownQuestionMs: 50,
      host: 'n1',
    });
    say('old session output before the reload\r\nswitch# ');
    watch.arm();
    say('Would you like to abort Power On Auto Provisioning (yes/skip/no/later)[no]: ');
    const error = (await watch.booted.catch((e: unknown) => e)) as NetopsError;
    expect(error.code).toBe('DIALOG_UNEXPECTED');
    expect(error.message).toContain('(yes/skip/no/later)[no]:');
    expect(typed).toEqual([]);
  });

  it('counts nothing the console showed before the reload was confirmed', async () => {
    const { channel, say } = consoleLine(() => undefined);
    const watch = watchBoot(channel, {
      questions: [],
      done: [login],
      timeoutMs: dayLong,
      unknownQuestionMs: dayLong,
      host: 'n1',
    });
    say('\r\nold-name login: ');
    watch.arm();
    say('\r\nSystem is coming up ... Please wait ...\r\n\r\nswitch login: ');
    const booted = await watch.booted;
    expect(booted).toEqual({ answered: [], prompt: 'switch login: ' });
  });
});
