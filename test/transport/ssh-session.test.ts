/**
 * SSH sessions against a minimal server: the key exchange netops agrees on with servers offering
 * different sets (P-256 where a server has it: ssh2's curve25519 costs the client more CPU per
 * login; curve25519 where it is all a server has; a fixed group before group exchange; the old
 * Diffie-Hellman groups only when the host asks for legacy algorithms), and what a read still
 * waiting learns when netops closes the session.
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { newHostKey } from '../../src/lab/access/ssh-server.js';
import { Channel } from '../../src/channel/channel.js';
import { openSsh } from '../../src/transport/ssh.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-ssh-algorithms-');
const hostKey = newHostKey();
const servers: ssh2.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** An SSH server offering `kex` (ssh2's own list when undefined) with a shell that prints a prompt. */
async function server(kex?: string[]): Promise<{ port: number; agreed: string[] }> {
  const agreed: string[] = [];
  const algorithms = kex ? { kex: kex as ssh2.KexAlgorithm[] } : undefined;
  const sshd = new ssh2.Server({ hostKeys: [hostKey], ...(algorithms ? { algorithms } : {}) }, (client) => {
    client.on('handshake', (negotiated) => agreed.push(negotiated.kex));
    client.on('authentication', (context) =>
      context.method === 'password' && context.password === 'pw1'
        ? context.accept()
        : context.reject(['password']),
    );
    client.on('session', (accept) => {
      const session = accept();
      session.on('pty', (ok) => ok?.());
      session.on('shell', (ok) => ok().write('r1#'));
    });
    client.on('error', () => client.end());
  });
  servers.push(sshd);
  await new Promise<void>((resolve) => sshd.listen(0, '127.0.0.1', resolve));
  return { port: (sshd.address() as AddressInfo).port, agreed };
}

function open(port: number, legacyAlgorithms = false) {
  return openSsh({
    target: { address: '127.0.0.1', port, host: 'r1' },
    username: 'admin',
    password: 'pw1',
    legacyAlgorithms,
    trustNewHostKey: true,
    knownHostsFile: path.join(dir, `known-hosts-${port}`),
  });
}

async function login(port: number, legacyAlgorithms = false) {
  await (await open(port, legacyAlgorithms)).close();
}

describe('SSH key exchange', () => {
  // ssh2's server lists group exchange but cannot serve it: a client that chose it fails the handshake.
  it.each([
    ['ecdh-sha2-nistp256 with a server that also offers curve25519 first', undefined, 'ecdh-sha2-nistp256'],
    [
      'a fixed group rather than group exchange, whose prime of the server Node checks at each login',
      ['diffie-hellman-group-exchange-sha256', 'diffie-hellman-group14-sha256'],
      'diffie-hellman-group14-sha256',
    ],
    [
      'a fixed group of 3072 bits or more before group 14, as strong as the group exchange it replaces',
      [
        'diffie-hellman-group14-sha256',
        'diffie-hellman-group16-sha512',
        'diffie-hellman-group-exchange-sha256',
      ],
      'diffie-hellman-group16-sha512',
    ],
    ['curve25519 with a server that offers nothing else', ['curve25519-sha256'], 'curve25519-sha256'],
  ])('agrees on %s', async (_case, offered, expected) => {
    const { port, agreed } = await server(offered);
    await login(port);
    expect(agreed).toEqual([expected]);
  });

  it('offers the old Diffie-Hellman groups only when the host asks for legacy algorithms', async () => {
    const { port, agreed } = await server(['diffie-hellman-group14-sha1']);
    const refused = (await login(port).catch((e: unknown) => e)) as { code: string; hint: string };
    expect(refused.code).toBe('SSH_NO_COMMON_ALGORITHM');
    expect(refused.hint).toMatch(/legacyAlgorithms/);
    await login(port, true);
    expect(agreed).toEqual(['diffie-hellman-group14-sha1']);
  });
});

describe('closing an SSH session', () => {
  it('fails a read still waiting with CLOSED_BY_PEER naming the session, closed on purpose', async () => {
    const { port } = await server();
    const transport = await open(port);
    const channel = new Channel(transport, { host: 'r1' });
    const waiting = channel
      .readUntil([/never-shown>$/], { timeoutMs: 30_000, waitingFor: 'a prompt that never comes' })
      .catch((e: unknown) => e);
    await transport.close();
    const error = (await waiting) as { code: string; message: string; hint: string };
    expect(error.code).toBe('CLOSED_BY_PEER');
    expect(error.message).toContain(`SSH session to 127.0.0.1:${port} was closed by netops`);
    expect(error.hint).toBe('The session was closed on purpose.');
    expect(transport.closed?.code).toBe('CLOSED_BY_PEER');
  });
});
