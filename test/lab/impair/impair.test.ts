/**
 * Impairment of one device's link (root): measured from the management side with ping, curl and
 * counts, never with wall-clock upper bounds. Delay: at least 180 ms more RTT for 200 ms configured;
 * loss: 10 % of 10,000 packets within a 5-sigma band; duplication and reordering seen in ping's own
 * output; TCP passes the relay both ways; removal leaves no table, TUN device, rule or relay process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyImpairment,
  removeImpairment,
  type AppliedImpairment,
  type ImpairTarget,
} from '../../../src/lab/impair/impair.js';
import { impairmentSchema, type ImpairmentInput } from '../../../src/lab/impair/impairment.js';
import { isAlive } from '../../../src/lab/netns/processes.js';
import { waitFor } from '../../helpers/wait-for.js';
import { ping, useLinkPair } from './link-pair.js';

const pair = useLinkPair();
let dir = '';
let target: ImpairTarget;
let applied: AppliedImpairment | undefined;
/** The device namespace before any impairment. */
let clean: Awaited<ReturnType<typeof machinery>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netops-impair-'));
  target = { netns: pair.deviceNetns, uplink: 'eth0', owner: 'impt', dir, name: 'd/impair-relay' };
  clean = await machinery();
});

afterAll(async () => {
  await removeImpairment(target, applied);
  await rm(dir, { recursive: true, force: true });
});

const impair = async (input: ImpairmentInput) => {
  applied = await applyImpairment(target, impairmentSchema.parse(input), applied);
  return applied;
};

/** What the device's namespace shows of the lab's impairment machinery. */
async function machinery() {
  const [tables, links, rules4, rules6, forwarding] = await Promise.all([
    pair.inDevice(['nft', 'list', 'tables']),
    pair.inDevice(['ip', '-o', 'link', 'show']),
    pair.inDevice(['ip', '-4', 'rule', 'show']),
    pair.inDevice(['ip', '-6', 'rule', 'show']),
    pair.inDevice(['sysctl', '-n', 'net.ipv4.ip_forward', 'net.ipv4.ip_early_demux']),
  ]);
  return {
    tables: tables.stdout.trim(),
    tunDevices: links.stdout.split('\n').filter((l) => /imp-(in|out)/.test(l)).length,
    rules: `${rules4.stdout}${rules6.stdout}`,
    sysctls: forwarding.stdout.trim(),
  };
}

describe('link impairment without netem', () => {
  it('adds at least the configured delay to the RTT measured from the management side, v4 and v6', async () => {
    const { ipv4, ipv6 } = pair.deviceAddresses;
    const before = await ping(pair, ['-c', '3', '-i', '0.2'], ipv4);
    expect(before.received).toBe(3);
    const result = await impair({ fromDevice: { delayMs: 200 } });
    expect(result?.fromDeviceBy).toBe('relay');
    for (const address of [ipv4, ipv6]) {
      const after = await ping(pair, ['-c', '3', '-i', '0.2'], address);
      expect(after.received, after.out.stdout).toBe(3);
      expect(after.minMs - before.minMs, after.out.stdout).toBeGreaterThanOrEqual(180);
    }
    // The other direction adds to it: 100 ms towards the device plus 200 ms back.
    await impair({ toDevice: { delayMs: 100 }, fromDevice: { delayMs: 200 } });
    const both = await ping(pair, ['-c', '3', '-i', '0.2'], ipv6);
    expect(both.minMs - before.minMs, both.out.stdout).toBeGreaterThanOrEqual(270);
  });

  it('carries TCP through the relay in both directions, v4 and v6 (a 2 MB download is intact)', async () => {
    await impair({ toDevice: { delayMs: 5 }, fromDevice: { delayMs: 5 } });
    const file = path.join(dir, 'payload.bin');
    await pair.inDevice(['dd', 'if=/dev/urandom', `of=${file}`, 'bs=1M', 'count=2']);
    const server = spawn(
      'ip',
      [
        'netns',
        'exec',
        pair.device,
        '/usr/bin/python3',
        '-m',
        'http.server',
        '8080',
        '--bind',
        '::',
        '--directory',
        dir,
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      await waitFor(
        async () => (await pair.inDevice(['ss', '-Htln', 'sport = :8080'])).stdout.includes('8080'),
        'the HTTP server',
      );
      const want = (await pair.inDevice(['sha256sum', file])).stdout.split(' ')[0];
      for (const url of [
        'http://198.18.0.10:8080/payload.bin',
        'http://[2001:db8:0:1::a]:8080/payload.bin',
      ]) {
        const got = await pair.inMgmt(['sh', '-c', `curl -sS --max-time 60 ${url} | sha256sum`]);
        expect(got.stdout.split(' ')[0], `${url}: ${got.stderr}`).toBe(want);
      }
    } finally {
      if (server.pid) process.kill(server.pid, 'SIGTERM');
    }
  });

  it('loses about 10 % of 10,000 packets towards the device (counted by ping, 5-sigma band)', async () => {
    const result = await impair({ toDevice: { lossPercent: 10 } });
    expect(result?.relay).toBeUndefined(); // loss alone is nftables only
    const flood = await ping(
      pair,
      ['-f', '-l', '64', '-c', '10000', '-q', '-W', '2'],
      pair.deviceAddresses.ipv4,
    );
    expect(flood.transmitted).toBe(10_000);
    const lost = flood.transmitted - flood.received;
    expect(lost, flood.out.stdout).toBeGreaterThanOrEqual(850);
    expect(lost, flood.out.stdout).toBeLessThanOrEqual(1150);
  });

  it('loses about 10 % of 10,000 packets from the device, v6 (nftables on the uplink egress)', async () => {
    await impair({ fromDevice: { lossPercent: 10 } });
    const flood = await ping(
      pair,
      ['-f', '-l', '64', '-c', '10000', '-q', '-W', '2'],
      pair.deviceAddresses.ipv6,
    );
    const lost = flood.transmitted - flood.received;
    expect(lost, flood.out.stdout).toBeGreaterThanOrEqual(850);
    expect(lost, flood.out.stdout).toBeLessThanOrEqual(1150);
  });

  it('duplicates and reorders packets as configured', async () => {
    await impair({ toDevice: { duplicatePercent: 50 }, fromDevice: { delayMs: 60, reorderPercent: 50 } });
    const run = await ping(pair, ['-c', '200', '-i', '0.005', '-W', '2'], pair.deviceAddresses.ipv4);
    // 200 requests, each duplicated with p = 0.5: 100 expected, 5 sigma = 35.
    expect(run.duplicates, run.out.stdout.slice(-300)).toBeGreaterThanOrEqual(65);
    expect(run.duplicates).toBeLessThanOrEqual(135);
    const inversions = run.sequence.filter((seq, i) => i > 0 && seq < (run.sequence[i - 1] ?? 0)).length;
    expect(inversions).toBeGreaterThan(10);
  });

  it('removes everything it added: tables, TUN devices, rules, settings and the relay', async () => {
    const result = await impair({ toDevice: { delayMs: 10, lossPercent: 1 }, fromDevice: { jitterMs: 5 } });
    const relay = result?.relay;
    expect(relay && (await isAlive(relay))).toBe(true);
    const busy = await machinery();
    expect(busy.tables).toContain('netops_impt');
    expect(busy.tunDevices).toBe(2);
    await removeImpairment(target, result);
    applied = undefined;
    expect(relay && (await isAlive(relay))).toBe(false);
    expect(await machinery()).toEqual(clean);
    expect(clean.tables).toBe('');
    expect(clean.tunDevices).toBe(0);
  });

  it('the relay exits by itself when the process it follows (a container) exits', async () => {
    const follower = spawn('sleep', ['600'], { stdio: 'ignore' });
    const result = await applyImpairment(
      { ...target, exitWith: follower.pid ?? 0 },
      impairmentSchema.parse({ fromDevice: { delayMs: 10 } }),
    );
    applied = result;
    follower.kill('SIGKILL');
    const relay = result?.relay;
    await waitFor(async () => !(relay && (await isAlive(relay))), 'the relay to exit after its container');
  });
});
