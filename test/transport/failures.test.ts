/**
 * Connection failures each get their own code and an actionable hint: refused, a stuck SSH
 * handshake (CONNECT_TIMEOUT), a forced family the address does not have, all on loopback.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { openSsh } from '../../src/transport/ssh.js';
import { openTelnet } from '../../src/transport/telnet.js';
import { splitHostPort } from '../../src/transport/connect.js';
import { closedTcpPort } from '../helpers/tcp-listener.js';

describe('transport failures', () => {
  it.each(['127.0.0.1', '::1'])(
    'a closed port on %s is CONNECT_REFUSED, transient, with a hint',
    async (address) => {
      const closed = await closedTcpPort(address);
      const error = (await openTelnet({ target: { address, port: closed.port, host: 'r1' } })
        .catch((e: unknown) => e)
        .finally(() => closed.close())) as {
        code: string;
        transient: boolean;
        hint: string;
        host: string;
      };
      expect(error.code).toBe('CONNECT_REFUSED');
      expect(error.transient).toBe(true);
      expect(error.host).toBe('r1');
      expect(error.hint).toMatch(/port/);
    },
  );

  it('an SSH port that accepts TCP but never speaks is CONNECT_TIMEOUT within the login limit', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const error = (await openSsh({
        target: { address: `[::1]:${port}` },
        username: 'admin',
        password: 'x',
        loginTimeoutMs: 300,
      }).catch((e: unknown) => e)) as { code: string; message: string };
      expect(error.code).toBe('CONNECT_TIMEOUT');
      expect(error.message).toMatch(/did not complete the SSH handshake within 0.3s/);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('a forced family that the address literal does not have is a config error', async () => {
    const error = (await openTelnet({ target: { address: '127.0.0.1', port: 23, family: 6 } }).catch(
      (e: unknown) => e,
    )) as {
      code: string;
    };
    expect(error.code).toBe('CONFIG_INVALID');
  });

  it('splits bracketed IPv6 with ports, IPv4 with ports, and leaves bare IPv6 alone', () => {
    expect(splitHostPort('[2001:db8::1]:2222')).toEqual({ address: '2001:db8::1', port: 2222 });
    expect(splitHostPort('[::1]')).toEqual({ address: '::1', port: undefined });
    expect(splitHostPort('192.0.2.1:23')).toEqual({ address: '192.0.2.1', port: 23 });
    expect(splitHostPort('2001:db8::1')).toEqual({ address: '2001:db8::1', port: undefined });
    expect(splitHostPort('r1.example.net:22')).toEqual({ address: 'r1.example.net', port: 22 });
  });
});
