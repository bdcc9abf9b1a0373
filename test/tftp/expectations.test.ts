/**
 * Job mode: the server accepts only what it was told to expect, and says precisely what went wrong.
 * Includes the seed scenario: r1's IPv6 upload arriving from afe:fe01:: (its Loopback0 10.254.254.1
 * read as the top 32 bits), explained by name with the fix.
 */
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNetopsError } from '../../src/core/errors.js';
import { TftpClientError, tftpGet, tftpPut } from '../../src/tftp/client.js';
import { diagnoseSource } from '../../src/tftp/diagnose.js';
import { Expectations } from '../../src/tftp/expectations.js';
import { encodeData, encodeRequest } from '../../src/tftp/packet.js';
import { TftpServer } from '../../src/tftp/server.js';
import type { TftpLogEvent } from '../../src/tftp/log.js';
import { RawPeer } from './raw.js';

const r1 = { name: 'r1', addresses: ['::1', '127.0.0.1', '127.0.0.2', '10.254.254.1'] };
const config = Buffer.from('hostname r1\n!\nend\n');

describe('diagnosis of an unexpected source (seed scenario, unit)', () => {
  it('explains afe:fe01:: as r1 Loopback0 10.254.254.1 read as IPv6, with the source-interface fix', () => {
    const d = diagnoseSource('afe:fe01::', { filename: 'r1-confg', from: ['::1'], host: 'r1' }, [r1]);
    expect(d.host).toBe('r1');
    expect(d.fromExpectedHost).toBe(true);
    expect(d.summary).toContain('10.254.254.1');
    expect(d.summary).toContain('top 32 bits');
    expect(d.hint).toContain('ip tftp source-interface');
    expect(d.hint).toContain('r1');
  });

  it('explains the same form even for a host missing from the inventory, without naming one', () => {
    const d = diagnoseSource('c000:201::', { filename: 'x', from: ['::1'] }, []);
    expect(d.host).toBeUndefined();
    expect(d.summary).toContain('192.0.2.1');
    expect(d.fromExpectedHost).toBe(false);
  });

  it.each([
    ['2002:a01:102::', '10.1.1.2', '6to4'],
    ['64:ff9b::a01:102', '10.1.1.2', 'NAT64'],
  ])('names the IPv4 inside %s (%s, %s)', (source, ipv4, words) => {
    const d = diagnoseSource(source, { filename: 'x', from: ['::1'], host: 'r9' }, [
      { name: 'r9', addresses: [ipv4] },
    ]);
    expect(d).toMatchObject({ host: 'r9', fromExpectedHost: true });
    expect(d.summary).toContain(ipv4);
    expect(d.summary).toContain(words);
  });

  it('says when the source is link-local or belongs to another host', () => {
    expect(diagnoseSource('fe80::5%eth0', { filename: 'x', from: ['2001:db8::5'] }, []).summary).toContain(
      'link-local',
    );
    const other = diagnoseSource('192.0.2.7', { filename: 'r1-confg', from: ['::1'], host: 'r1' }, [
      { name: 'r2', addresses: ['192.0.2.7'] },
    ]);
    expect(other).toMatchObject({ host: 'r2', fromExpectedHost: false });
  });

  it('fails the expectation through the server routing when afe:fe01:: uploads r1-confg', async () => {
    const expectations = new Expectations(() => [r1]);
    const waiting = expectations.expectUpload({
      filename: 'r1-confg',
      from: ['::1'],
      host: 'r1',
      timeoutMs: 5000,
    });
    const route = expectations.routeUpload('r1-confg', 'afe:fe01::', 62506);
    expect(route.kind).toBe('refuse');
    const error = await waiting.catch((e) => e);
    expect(isNetopsError(error, 'TFTP_UNEXPECTED_SOURCE')).toBe(true);
    expect(error.message).toMatch(/r1-confg for r1 came from afe:fe01:: port 62506.*10\.254\.254\.1/);
    expect(error.hint).toContain('no ip tftp source-interface');
    expect(error.host).toBe('r1');
  });
});

describe('server in job mode', () => {
  let server: TftpServer;
  let port: number;
  let port6: number;
  const events: TftpLogEvent[] = [];
  beforeEach(async () => {
    events.length = 0;
    server = await TftpServer.start({
      listen: [
        { address: '127.0.0.1', port: 0 },
        { address: '::1', port: 0 },
      ],
      knownHosts: [r1],
      log: (e) => events.push(e),
    });
    [port, port6] = server.addresses().map((a) => a.port) as [number, number];
  });
  afterEach(() => server.close());

  /** The wait for r1's upload of r1-confg from 127.0.0.1, as a backup of r1 sets it up. */
  const r1Upload = () =>
    server.expectUpload({ filename: 'r1-confg', from: ['127.0.0.1'], host: 'r1', timeoutMs: 5000 });

  it('returns the bytes of an expected upload', async () => {
    const waiting = r1Upload();
    await tftpPut({
      server: '127.0.0.1',
      port,
      filename: 'r1-confg',
      data: config,
      localAddress: '127.0.0.1',
    });
    expect((await waiting).toString()).toBe(config.toString());
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['started', 'success']));
  });

  it('refuses an upload from an unexpected address of r1 and fails the wait, naming r1 and the fix', async () => {
    const waiting = r1Upload().catch((e) => e); // settled before the test looks at it
    const sent = await tftpPut({
      server: '127.0.0.1',
      port,
      filename: 'r1-confg',
      data: config,
      localAddress: '127.0.0.2',
    }).catch((e) => e);
    expect(sent).toBeInstanceOf(TftpClientError);
    expect(sent).toMatchObject({ kind: 'remote-error', code: 2 });
    const error = await waiting.catch((e) => e);
    expect(isNetopsError(error, 'TFTP_UNEXPECTED_SOURCE')).toBe(true);
    expect(error.message).toContain('r1');
    expect(error.message).toContain('127.0.0.2');
    expect(error.hint).toContain('ip tftp source-interface');
    expect(events.find((e) => e.event === 'refused')).toMatchObject({
      peer: '127.0.0.2',
      op: 'WRQ',
      file: 'r1-confg',
    });
  });

  it('keeps an upload under way from the expected address when another address of r1 asks meanwhile', async () => {
    const waiting = r1Upload();
    waiting.catch(() => undefined); // looked at below, once the upload is over
    const device = await RawPeer.open();
    try {
      device.send(encodeRequest('WRQ', 'r1-confg', 'octet'), port);
      const tid = (await device.next())?.port as number;
      const first = Buffer.alloc(512, 'x');
      device.send(encodeData(1, first), tid);
      expect((await device.next())?.packet).toEqual({ op: 'ACK', block: 1 });
      // A second upload of the file from r1's other address is refused, and only that one.
      const second = await tftpPut({
        server: '127.0.0.1',
        port,
        filename: 'r1-confg',
        data: config,
        localAddress: '127.0.0.2',
      }).catch((e) => e);
      expect(second).toMatchObject({ kind: 'remote-error', code: 2 });
      device.send(encodeData(2, config), tid);
      expect((await device.next())?.packet).toEqual({ op: 'ACK', block: 2 });
      // The device was told its upload arrived: the job gets it.
      expect((await waiting).toString()).toBe(Buffer.concat([first, config]).toString());
    } finally {
      device.close();
    }
  });

  it('refuses an upload nobody expected with an access violation', async () => {
    const sent = await tftpPut({ server: '::1', port: port6, filename: 'stray-confg', data: config }).catch(
      (e) => e,
    );
    expect(sent).toMatchObject({ kind: 'remote-error', code: 2 });
    expect(events.find((e) => e.event === 'refused')?.reason).toContain(
      'no upload of stray-confg is expected',
    );
  });

  it('times out with TFTP_NO_UPLOAD, listing what was refused meanwhile', async () => {
    const waiting = server.expectUpload({
      filename: 'r2-confg',
      from: ['127.0.0.1'],
      host: 'r2',
      // Long enough that the refused upload below always comes first, however loaded the machine.
      timeoutMs: 3000,
    });
    await tftpPut({ server: '::1', port: port6, filename: 'r2-confg', data: config }).catch(() => undefined);
    const error = await waiting.catch((e) => e);
    expect(isNetopsError(error, 'TFTP_NO_UPLOAD')).toBe(true);
    expect(error.message).toMatch(/no upload of r2-confg from r2 .* within 3 s; refused meanwhile from ::1/);
  });

  it('times out as transient when nothing arrived at all', async () => {
    const error = await server
      .expectUpload({ filename: 'r3-confg', from: ['::1'], timeoutMs: 50 })
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'TFTP_NO_UPLOAD', transient: true });
  });

  it('serves a published download to its host only, until unpublished', async () => {
    const unpublish = server.publishDownload({ filename: 'r1-restore', data: config, to: ['127.0.0.1'] });
    expect(
      (
        await tftpGet({ server: '127.0.0.1', port, filename: 'r1-restore', localAddress: '127.0.0.1' })
      ).toString(),
    ).toBe(config.toString());
    const other = await tftpGet({
      server: '127.0.0.1',
      port,
      filename: 'r1-restore',
      localAddress: '127.0.0.2',
    }).catch((e) => e);
    expect(other).toMatchObject({ kind: 'remote-error', code: 2 });
    unpublish();
    const gone = await tftpGet({ server: '127.0.0.1', port, filename: 'r1-restore' }).catch((e) => e);
    expect(gone).toMatchObject({ kind: 'remote-error', code: 2 });
  });
});

describe('dual-stack listener', () => {
  it('accepts IPv4 and IPv6 clients on [::] and logs IPv4 peers without the ::ffff: prefix', async () => {
    const events: TftpLogEvent[] = [];
    const server = await TftpServer.start({
      listen: [{ address: '::', port: 0 }],
      log: (e) => events.push(e),
    });
    try {
      const port = server.addresses()[0]?.port ?? 0;
      const v4 = server.expectUpload({ filename: 'a', from: ['127.0.0.1'], timeoutMs: 5000 });
      const v6 = server.expectUpload({ filename: 'b', from: ['::1'], timeoutMs: 5000 });
      await tftpPut({ server: '127.0.0.1', port, filename: 'a', data: config });
      await tftpPut({ server: '::1', port, filename: 'b', data: config });
      expect((await v4).equals(config) && (await v6).equals(config)).toBe(true);
      expect(events.filter((e) => e.event === 'success').map((e) => e.peer)).toEqual(['127.0.0.1', '::1']);
    } finally {
      await server.close();
    }
  });

  it('binds a link-local listener with its zone, or says why not', async () => {
    // lo has no link-local address here, so the zone form reaches the OS and fails with the hint.
    const error = await TftpServer.start({ listen: [{ address: 'fe80::1%lo', port: 0 }] }).catch((e) => e);
    expect(error).toMatchObject({ code: 'TFTP_BIND_FAILED' });
    expect(error.message).toContain('[fe80::1%lo]:0');
    expect(error.hint).toContain('zone');
  });

  it('fails to listen on an address the host lacks with TFTP_BIND_FAILED and a hint', async () => {
    const error = await TftpServer.start({ listen: [{ address: '198.18.0.1', port: 0 }] }).catch((e) => e);
    expect(error).toMatchObject({ code: 'TFTP_BIND_FAILED' });
    expect(error.message).toContain('198.18.0.1');
    expect(error.hint).toMatch(/address this host has/);
  });
});

it('writes nothing anywhere in job mode (no root)', async () => {
  const before = await readdir(process.cwd());
  const server = await TftpServer.start({ listen: [{ address: '127.0.0.1', port: 0 }] });
  const port = server.addresses()[0]?.port ?? 0;
  await tftpPut({ server: '127.0.0.1', port, filename: 'planted.txt', data: config }).catch(() => undefined);
  await server.close();
  expect(await readdir(process.cwd())).toEqual(before);
});
