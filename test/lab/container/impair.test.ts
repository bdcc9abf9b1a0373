/**
 * Impairment of a container lab device at run time, through the CLI as a user does it (root,
 * podman): `netops lab impair` inside the container's network namespace, measured from the host with
 * ping (lower bounds and counts only): 200 ms from the device adds at least 180 ms to the RTT over
 * IPv4 and IPv6, 10 % loss towards it loses 850 to 1,150 of 10,000 flood pings, `--clear` removes the
 * lab's nftables table and relay, and `lab down` leaves no relay.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../../src/lab/netns/processes.js';
import { useContainerLab } from '../../helpers/container-lab.js';
import { runNetops } from '../../helpers/netops-cli.js';

interface Output {
  readonly code: number;
  readonly stdout: string;
}

function sh(command: string, args: readonly string[]): Promise<Output> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }),
    );
  });
}

const lab = useContainerLab({ devices: [{ name: 'r1', platform: 'ios' }] }, 'netops-container-impair-');

const impair = (...flags: string[]) => runNetops(['lab', 'impair', 'r1', '--dir', lab.dir, ...flags]);

async function ping(args: readonly string[], address: string) {
  const out = await sh('ping', ['-n', ...args, address]);
  const count = (what: string) => Number(new RegExp(`(\\d+) ${what}`).exec(out.stdout)?.[1] ?? NaN);
  return {
    stdout: out.stdout,
    lost: count('packets transmitted') - count('received'),
    minMs: Number(/= ([\d.]+)\//.exec(out.stdout)?.[1] ?? NaN),
  };
}

/** nftables tables inside r1's container (its network namespace, entered from the host). */
async function tablesInR1(): Promise<string> {
  const container = lab.state.devices[0]?.container ?? '';
  const pid = (await sh('podman', ['inspect', '-f', '{{.State.Pid}}', container])).stdout.trim();
  return (await sh('nsenter', [`--net=/proc/${pid}/ns/net`, 'nft', 'list', 'tables'])).stdout.trim();
}

describe('netops lab impair on a container lab device', () => {
  // Nine netops and podman commands and a 10,000-packet flood: minutes on a loaded machine (seen: over 120 s at load 20).
  it('delays, loses and clears, measured from the host', { timeout: 400_000 }, async () => {
    const { ipv4, ipv6 } = lab.state.devices[0]?.addresses ?? { ipv4: '', ipv6: '' };
    const before = await ping(['-c', '3', '-i', '0.2'], ipv4);
    const delayed = await impair('--delay', '200ms');
    expect(delayed.stdout, delayed.stderr).toContain('r1: from-device: delay 200ms');
    for (const address of [ipv4, ipv6]) {
      const after = await ping(['-c', '3', '-i', '0.2'], address);
      expect(after.minMs - before.minMs, after.stdout).toBeGreaterThanOrEqual(180);
    }

    const cleared = await impair('--clear');
    expect(cleared.stdout).toContain('r1: no impairment');
    expect(await tablesInR1()).toBe('');
    const loss = await impair('--direction', 'to-device', '--loss', '10%');
    expect(loss.stdout, loss.stderr).toContain('r1: to-device: loss 10%');
    expect(await tablesInR1()).toContain(`netops_${lab.state.id}`);
    const flood = await ping(['-f', '-l', '64', '-c', '10000', '-q', '-W', '2'], ipv4);
    expect(flood.lost, flood.stdout).toBeGreaterThanOrEqual(850);
    expect(flood.lost, flood.stdout).toBeLessThanOrEqual(1150);

    await impair('--direction', 'both', '--delay', '20ms', '--jitter', '5ms');
    const stateText = (await sh('cat', [`${lab.dir}/container-lab.json`])).stdout;
    const recorded = (
      JSON.parse(stateText) as {
        impairments?: Record<string, { relay?: { pid: number; startTime: string } }>;
      }
    ).impairments?.['r1']?.relay;
    expect(recorded && (await isAlive(recorded))).toBe(true);
    const down = await runNetops(['lab', 'down', '--dir', lab.dir]);
    expect(down.code, down.stderr).toBe(0);
    expect(recorded && (await isAlive(recorded))).toBe(false);
  });
});
