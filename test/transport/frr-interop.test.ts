/**
 * Interop with real software: OpenSSH sshd and inetutils telnetd, each logging a test user into
 * FRR's vtysh, over IPv4 and IPv6 loopback. Platform `frr`: show running-config, config lines,
 * a refused line, and the SSH failure codes (auth, unknown key, changed key, stuck handshake).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNetopsError } from '../../src/core/errors.js';
import { useStarted, useTempDir } from '../helpers/fixture.js';
import { openCliSession } from '../../src/platforms/session.js';
import type { Host, SecretRef } from '../../src/config/model.js';
import { fingerprint } from '../../src/transport/known-hosts.js';
import { readFileSync } from 'node:fs';
import {
  ensureVtyshUser,
  frrHost,
  inetd,
  keyPair,
  sshdConfig,
  startFrr,
  telnetd,
  vtyshUser,
  type InetdPeer,
  type Sshd,
} from './peers.js';

const secret = async (ref: SecretRef) => ('value' in ref ? ref.value : '');
const frr = useStarted(() => startFrr('frr1'));
let sshd: Sshd;
let kbdOnly: Sshd;
const key = keyPair();
const peers: Record<string, InetdPeer> = {};
// Searchable by others: sshd reads its authorized_keys here as the test user.
const dir = useTempDir('netops-frr-interop-', 0o755);
const knownHosts = path.join(dir, 'known-hosts');

function open(host: Host, extra: { trustNewHostKey?: boolean } = {}) {
  return openCliSession({
    host,
    secret,
    knownHostsFile: knownHosts,
    // Limits, not timings: a loaded 2-core machine can take seconds to spawn sshd and to pass its
    // and login's failure delays.
    timeouts: { connectMs: 30_000, loginMs: 30_000, commandMs: 30_000 },
    ...extra,
  });
}

beforeAll(async () => {
  ensureVtyshUser();
  sshd = sshdConfig(dir, frr, { authorizedKey: key.publicKey });
  kbdOnly = sshdConfig(dir, frr, { passwordAuthentication: false });
  peers['kbd'] = await inetd('127.0.0.1', () => ['/usr/sbin/sshd', ['-i', '-e', '-f', kbdOnly.config]]);
  for (const address of ['127.0.0.1', '::1']) {
    peers[`ssh${address}`] = await inetd(address, () => ['/usr/sbin/sshd', ['-i', '-e', '-f', sshd.config]]);
    peers[`telnet${address}`] = await inetd(address, () => telnetd(frr));
  }
});

afterAll(async () => {
  for (const peer of Object.values(peers)) await peer.close();
});

describe.each([
  ['ssh', '127.0.0.1', (port: number) => ({ address: '127.0.0.1', port })],
  ['ssh', '::1', (port: number) => ({ address: `[::1]:${port}`, port: undefined })],
  ['telnet', '127.0.0.1', (port: number) => ({ address: `127.0.0.1:${port}`, port: undefined })],
  ['telnet', '::1', (port: number) => ({ address: '::1', port })],
] as const)('frr over %s to %s', (via, address, where) => {
  it('shows the running config, applies config lines, and stops at a refused one', async () => {
    const peer = peers[`${via}${address}`] as InetdPeer;
    const host = { ...frrHost('frr1', '', 0, { transport: via }), ...where(peer.port) };
    const session = await open(host);
    try {
      expect(session.privilege).toBe('privilege-exec');
      const running = await session.send('show running-config');
      expect(running.text).toMatch(/^frr version /m);
      expect(running.text).toMatch(/^hostname frr1$/m);
      expect(running.text.trimEnd().endsWith('end')).toBe(true);
      expect(running.text).not.toMatch(/show running-config|\r/);
      expect(running.text).not.toContain('\x1b');

      const map = `NETOPS-${via}-${address === '::1' ? 6 : 4}`;
      await session.sendConfig([`route-map ${map} permit 10`, ' description set by netops']);
      expect(session.privilege).toBe('privilege-exec');
      const after = await session.send(`show running-config`);
      expect(after.text).toContain(`route-map ${map} permit 10\n description set by netops`);

      const refused = await session
        .sendConfig([`route-map ${map} permit 20`, 'bogus command here', 'description never'])
        .catch((e: unknown) => e);
      expect(isNetopsError(refused, 'COMMAND_REJECTED')).toBe(true);
      expect((refused as Error).message).toMatch(/line 2 "bogus command here".*% Unknown command/);
      expect(session.privilege).toBe('privilege-exec');
      const unknown = await session.send('show bogus-thing').catch((e: unknown) => e);
      expect(isNetopsError(unknown, 'COMMAND_REJECTED')).toBe(true);
    } finally {
      await session.close();
    }
  });
});

/**
 * Two test runs on one machine (two worktrees, or a run beside a review's) log in as the same user:
 * each run's logins must reach its own FRR, even after the other run's FRR is gone.
 */
it("keeps logging into this run's FRR over ssh and telnet while another run's FRR starts and stops", async () => {
  const other = await startFrr('frr2');
  let otherPeer: InetdPeer | undefined;
  try {
    ensureVtyshUser();
    const otherSshd = sshdConfig(dir, other);
    otherPeer = await inetd('127.0.0.1', () => ['/usr/sbin/sshd', ['-i', '-e', '-f', otherSshd.config]]);
    const there = await open(frrHost('frr2', '127.0.0.1', otherPeer.port));
    expect((await there.send('show running-config')).text).toMatch(/^hostname frr2$/m);
    await there.close();
  } finally {
    await otherPeer?.close();
    await other.stop();
  }
  for (const via of ['ssh', 'telnet'] as const) {
    const port = (peers[`${via}127.0.0.1`] as InetdPeer).port;
    const here = await open(frrHost('frr1', '127.0.0.1', port, { transport: via }));
    expect((await here.send('show running-config')).text).toMatch(/^hostname frr1$/m);
    await here.close();
  }
});

describe('ssh login and host keys against OpenSSH', () => {
  const sshHost = (extra: Partial<Host> = {}) =>
    frrHost('frr1', '127.0.0.1', (peers['ssh127.0.0.1'] as InetdPeer).port, extra);
  const lab = { name: 'lab', username: vtyshUser.name };

  it('logs in with a key, and with keyboard-interactive when passwords are off', async () => {
    const withKey = await open(sshHost({ credentials: { ...lab, privateKey: { value: key.privateKey } } }));
    expect((await withKey.send('show version')).text).toMatch(/FRRouting/);
    await withKey.close();
    const kbd = await open(frrHost('frr1', '127.0.0.1', (peers['kbd'] as InetdPeer).port));
    expect(kbd.privilege).toBe('privilege-exec');
    await kbd.close();
  });

  it('fails a wrong password with AUTH_FAILED over ssh and telnet', async () => {
    const bad = { ...lab, password: { value: 'wrong-password' } };
    const overSsh = await open(sshHost({ credentials: bad })).catch((e: unknown) => e);
    expect((overSsh as { code: string }).code).toBe('AUTH_FAILED');
    expect((overSsh as Error).message).toContain(vtyshUser.name);
    const telnetPort = (peers['telnet127.0.0.1'] as InetdPeer).port;
    const overTelnet = await open(
      frrHost('frr1', '127.0.0.1', telnetPort, { transport: 'telnet', credentials: bad }),
    ).catch((e: unknown) => e);
    expect((overTelnet as { code: string }).code).toBe('AUTH_FAILED');
    expect((overTelnet as Error).message).toMatch(/Login incorrect/);
  }, 120_000);

  it('refuses an unknown key unless trusted, pins it, and refuses it once changed', async () => {
    const file = path.join(dir, 'strict.known-hosts');
    const strict = sshHost({ ssh: { legacyAlgorithms: false, trustNewHostKey: false } });
    const openStrict = (trust: boolean) =>
      openCliSession({
        host: strict,
        secret,
        knownHostsFile: file,
        trustNewHostKey: trust,
        timeouts: { connectMs: 30_000, loginMs: 30_000 },
      });
    const unknown = await openStrict(false).catch((e: unknown) => e);
    expect(isNetopsError(unknown, 'HOSTKEY_UNKNOWN')).toBe(true);
    expect((unknown as { hint: string }).hint).toMatch(/--trust-new-hosts/);

    const first = await openStrict(true);
    await first.close();
    const pinnedKey = readFileSync(`${sshd.dir}/host_key.pub`, 'utf8').split(' ')[1] as string;
    expect(readFileSync(file, 'utf8')).toContain(pinnedKey);
    const again = await openStrict(false);
    await again.close();

    sshd.rekey();
    const changed = await openStrict(true).catch((e: unknown) => e);
    expect(isNetopsError(changed, 'HOSTKEY_CHANGED')).toBe(true);
    const newKey = readFileSync(`${sshd.dir}/host_key.pub`, 'utf8').split(' ')[1] as string;
    const message = (changed as Error).message;
    expect(message).toContain(fingerprint(Buffer.from(pinnedKey, 'base64')));
    expect(message).toContain(fingerprint(Buffer.from(newKey, 'base64')));
    expect((changed as { hint: string }).hint).toContain(`delete line 1 of ${file}`);
    expect(readFileSync(file, 'utf8')).toContain(pinnedKey);
  }, 120_000);
});

/**
 * The host keys real devices present, served by OpenSSH: IOS makes RSA keys (`crypto key generate
 * rsa modulus 1024`/`2048`; releases before rsa-sha2 sign with ssh-rsa, SHA-1), some releases ECDSA;
 * some old releases offer no key exchange but `diffie-hellman-group1-sha1` (netops builds its group
 * once per process: transport/dh-groups.ts), and a server without ECDH may have group exchange only
 * (netops offers it after the fixed groups).
 * The lab's devices and the peers above present ed25519 only. netops checks each host-key signature
 * itself from the key's numbers (transport/host-key-object.ts): here against OpenSSH's own keys and
 * signatures, each logging in, pinning the key sshd presents, and logging in again against the pin.
 */
describe.each([
  ['RSA-2048 signing with rsa-sha2-512', { type: 'rsa', bits: 2048, algorithms: 'rsa-sha2-512' }, false],
  ['RSA-2048 signing with rsa-sha2-256', { type: 'rsa', bits: 2048, algorithms: 'rsa-sha2-256' }, false],
  [
    'RSA-1024 signing with ssh-rsa (SHA-1), legacy algorithms',
    { type: 'rsa', bits: 1024, algorithms: 'ssh-rsa' },
    true,
  ],
  [
    'RSA-1024 signing with ssh-rsa, key exchange diffie-hellman-group1-sha1 only, legacy algorithms',
    { type: 'rsa', bits: 1024, algorithms: 'ssh-rsa' },
    true,
    'diffie-hellman-group1-sha1',
  ],
  ['ECDSA P-256', { type: 'ecdsa', bits: 256 }, false],
  [
    'ECDSA P-256, key exchange diffie-hellman-group-exchange-sha256 only',
    { type: 'ecdsa', bits: 256 },
    false,
    'diffie-hellman-group-exchange-sha256',
  ],
  ['ECDSA P-384', { type: 'ecdsa', bits: 384 }, false],
] as const)('OpenSSH presenting %s', (_name, hostKey, legacyAlgorithms, kexAlgorithms?: string) => {
  let peer: InetdPeer;
  let served: Sshd;
  beforeAll(async () => {
    served = sshdConfig(dir, frr, { hostKey, ...(kexAlgorithms ? { kexAlgorithms } : {}) });
    peer = await inetd('127.0.0.1', () => ['/usr/sbin/sshd', ['-i', '-e', '-f', served.config]]);
  });
  afterAll(async () => {
    await peer.close();
  });

  it('logs in, pins the key sshd presents, and logs in again against the pin', async () => {
    const file = path.join(
      dir,
      `${hostKey.type}-${hostKey.bits}-${legacyAlgorithms}-${kexAlgorithms}.known-hosts`,
    );
    const host = frrHost('frr1', '127.0.0.1', peer.port, {
      ssh: { legacyAlgorithms, trustNewHostKey: false },
    });
    const login = (trust: boolean) =>
      openCliSession({
        host,
        secret,
        knownHostsFile: file,
        trustNewHostKey: trust,
        timeouts: { connectMs: 30_000, loginMs: 30_000, commandMs: 30_000 },
      });
    const first = await login(true);
    expect((await first.send('show version')).text).toMatch(/FRRouting/);
    await first.close();
    const [keyType, presented] = readFileSync(`${served.dir}/host_key.pub`, 'utf8').split(' ') as [
      string,
      string,
    ];
    expect(readFileSync(file, 'utf8')).toContain(`${keyType} ${presented}`);
    const again = await login(false);
    expect(again.privilege).toBe('privilege-exec');
    await again.close();
  }, 120_000);
});
