/**
 * The seed scenario on the wire: an ios device with `ip tftp source-interface Loopback0` copies its
 * running-config over IPv6 to netops' TFTP server in the management namespace. It sends from its
 * Loopback0 IPv4 read as IPv6 (198.18.254.1 -> c612:fe01::), an address that exists only in its
 * namespace, so the server's answers go nowhere and the router prints `(Timed out)`. Over IPv4 the
 * same copy works; after `no ip tftp source-interface` so does IPv6, from the interface address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipv4AsTopBits, management } from '../../../src/lab/netns/addressing.js';
import { listening } from '../../../src/lab/netns/readiness.js';
import { sshSession } from './helpers.js';
import { useNetnsLab } from '../../helpers/netns-lab.js';
import { waitFor } from '../../helpers/wait-for.js';

const { dir, runtime, state } = useNetnsLab(
  { devices: [{ name: 'r1', platform: 'ios', tftpSourceLoopback: true }] },
  'netops-netns-seed-',
);
let server: ChildProcess;
const serverLog = () => readFile(path.join(dir, 'tftp.log'), 'utf8');

beforeAll(async () => {
  // `netops tftp serve` in the management namespace, where netops runs in the netns lab.
  const cli = path.join(runtime.src, 'cli', 'main.js');
  const listen = ['--listen', `${management.ipv4}:69`, '--listen', `[${management.ipv6}]:69`];
  const shell = `exec ${process.execPath} ${cli} tftp serve --root ${dir} --overwrite ${listen.join(' ')} > ${path.join(dir, 'tftp.log')} 2>&1`;
  server = spawn('ip', ['netns', 'exec', state.management, 'sh', '-c', shell], { stdio: 'ignore' });
  await waitFor(async () => (await listening(state.management)).has('udp:69'), 'netops tftp serve on udp:69');
}, 90_000);

afterAll(() => {
  server?.kill('SIGTERM');
});

const r1 = () => state.devices[0];
const copy = (server: string) =>
  sshSession(state, r1()?.addresses.ipv4 ?? '', [`copy running-config tftp://${server}/r1-confg`]);

describe('the seed scenario in the netns lab', () => {
  it('times out over IPv6 with ip tftp source-interface Loopback0, and the server saw the v4-in-v6 source', async () => {
    const quirk = ipv4AsTopBits(r1()?.loopback.ipv4 ?? '');
    expect(quirk).toBe('c612:fe01::');
    const out = await copy(`[${management.ipv6}]`);
    expect(out.stdout).toContain(`%Error opening tftp://[${management.ipv6}]/r1-confg (Timed out)`);
    expect(await serverLog()).toMatch(new RegExp(`${quirk}\\s+\\d+\\s+WRQ\\s+OCTET\\s+r1-confg`));
  });

  it('succeeds over IPv4 from the Loopback0 address', async () => {
    const out = await copy(management.ipv4);
    expect(out.stdout).toMatch(/\d+ bytes copied in/);
    expect(await serverLog()).toMatch(
      new RegExp(
        `${r1()?.loopback.ipv4.replace(/\./g, '\\.')}\\s+\\d+\\s+WRQ\\s+OCTET\\s+r1-confg\\s+SUCCESS \\[\\d+ bytes\\]`,
      ),
    );
  });

  it('succeeds over IPv6 from the interface address after no ip tftp source-interface', async () => {
    const out = await sshSession(state, r1()?.addresses.ipv4 ?? '', [
      'configure terminal',
      'no ip tftp source-interface',
      'end',
      `copy running-config tftp://[${management.ipv6}]/r1-confg`,
    ]);
    expect(out.stdout).toMatch(/\d+ bytes copied in/);
    const line = new RegExp(
      `${r1()?.addresses.ipv6}\\s+\\d+\\s+WRQ\\s+OCTET\\s+r1-confg\\s+SUCCESS \\[(\\d+) bytes\\]`,
    ).exec(await serverLog());
    expect(line).not.toBeNull();
    const stored = await readFile(path.join(dir, 'r1-confg'));
    expect(stored.length).toBe(Number(line?.[1]));
  });
});
