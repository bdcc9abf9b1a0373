/**
 * How a simulated device's SSH session packs its echo, seen by an SSH client (ssh2's Client: each
 * `data` event is one SSH channel-data packet): a line that arrives in one packet is echoed in one
 * packet, as a tty echoes a whole input buffer at once; keys that arrive one by one are echoed one
 * by one. And the lab's host key signs as ssh2 would (the client verifies every login's signature).
 */
import ssh2, { type ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { newHostKey, signingHostKey } from '../../src/lab/access/ssh-server.js';
import { useStarted } from '../helpers/fixture.js';
import { password, smallLab } from './lab-peers.js';

const lab = useStarted(() => smallLab());

/** A shell on the first device (IOS) over SSH, with every data packet the device sent kept apart. */
async function shell(): Promise<{ channel: ClientChannel; packets: string[]; close: () => void }> {
  const client = new ssh2.Client();
  const device = lab.devices[0]!;
  await new Promise<void>((resolve, reject) => {
    client.on('ready', resolve).on('error', reject);
    client.connect({ host: '127.0.0.1', port: device.ports.ssh, username: 'admin', password });
  });
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    client.shell({ term: 'vt100' }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  const packets: string[] = [];
  channel.on('data', (data: Buffer) => packets.push(data.toString('latin1')));
  return { channel, packets, close: () => client.end() };
}

/** Waits until the packets received since `from` end with `text`; returns those packets. */
async function until(packets: string[], from: number, text: string): Promise<string[]> {
  for (let i = 0; i < 500 && !packets.slice(from).join('').endsWith(text); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(packets.slice(from).join('')).toMatch(new RegExp(`${text.replace(/[$#]/g, '\\$&')}$`));
  return packets.slice(from);
}

describe('the echo of an SSH session', () => {
  it('comes in one packet for a line sent in one packet', async () => {
    const { channel, packets, close } = await shell();
    try {
      await until(packets, 0, 'r1#');
      const from = packets.length;
      channel.write('show clock\r');
      const got = await until(packets, from, 'r1#');
      expect(got[0]).toBe('show clock\r\n');
    } finally {
      close();
    }
  });

  it('comes key by key for keys sent one at a time', async () => {
    const { channel, packets, close } = await shell();
    try {
      await until(packets, 0, 'r1#');
      for (const key of 'show') {
        const from = packets.length;
        channel.write(key);
        expect(await until(packets, from, key)).toEqual([key]);
      }
      const from = packets.length;
      channel.write('\b\r');
      expect((await until(packets, from, 'r1#'))[0]).toBe('\b \b\r\n');
    } finally {
      close();
    }
  });
});

describe("the lab's host key", () => {
  it('signs exactly as ssh2 signs with the same key', () => {
    const pem = newHostKey();
    const data = Buffer.from('exchange hash of a login');
    const ours = signingHostKey(pem).sign(data);
    const theirs = ssh2.utils.parseKey(pem) as ssh2.ParsedKey;
    expect(ours.equals(theirs.sign(data))).toBe(true);
    expect(theirs.verify(data, ours)).toBe(true);
  });
});
