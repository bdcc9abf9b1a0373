/**
 * Two namespaces the test creates itself, joined by a veth: `mgmt` (198.18.0.1, 2001:db8:0:1::1) and
 * `device` (198.18.0.10, 2001:db8:0:1::a, uplink eth0), no route out. The impairment goes on the
 * device; the test measures from the management side as a user of the lab would.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { useFixture } from '../../helpers/fixture.js';

export interface Output {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function sh(command: string, args: readonly string[], input?: string): Promise<Output> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    // A command may exit without reading its input: its exit code and output tell, not an EPIPE.
    child.stdin?.on('error', () => undefined);
    if (input !== undefined) child.stdin?.end(input);
  });
}

export interface LinkPair {
  readonly mgmt: string;
  readonly device: string;
  /** /run/netns/<device> */
  readonly deviceNetns: string;
  readonly deviceAddresses: { readonly ipv4: string; readonly ipv6: string };
  readonly inMgmt: (argv: readonly string[]) => Promise<Output>;
  readonly inDevice: (argv: readonly string[]) => Promise<Output>;
}

async function createPair(): Promise<LinkPair> {
  const id = randomBytes(3).toString('hex');
  const mgmt = `impt-${id}-m`;
  const device = `impt-${id}-d`;
  for (const ns of [mgmt, device]) await sh('ip', ['netns', 'add', ns]);
  const batch = (ns: string, lines: string[]) => sh('ip', ['-n', ns, '-batch', '-'], `${lines.join('\n')}\n`);
  await batch(mgmt, [
    'link set lo up',
    `link add d0 type veth peer name eth0 netns ${device}`,
    'addr add 198.18.0.1/20 dev d0',
    'addr add 2001:db8:0:1::1/64 dev d0 nodad',
    'link set d0 up',
  ]);
  await batch(device, [
    'link set lo up',
    'addr add 198.18.0.10/20 dev eth0',
    'addr add 2001:db8:0:1::a/64 dev eth0 nodad',
    'link set eth0 up',
  ]);
  return {
    mgmt,
    device,
    deviceNetns: `/run/netns/${device}`,
    deviceAddresses: { ipv4: '198.18.0.10', ipv6: '2001:db8:0:1::a' },
    inMgmt: (argv) => sh('ip', ['netns', 'exec', mgmt, ...argv]),
    inDevice: (argv) => sh('ip', ['netns', 'exec', device, ...argv]),
  };
}

/** Stops whatever still runs in the pair's namespaces (by PID), then deletes them. */
async function deletePair(pair: LinkPair): Promise<void> {
  for (const ns of [pair.device, pair.mgmt]) {
    const pids = (await sh('ip', ['netns', 'pids', ns])).stdout.split(/\s+/).filter(Boolean);
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
    await sh('ip', ['netns', 'del', ns]);
  }
}

export function useLinkPair(): LinkPair {
  return useFixture(createPair, deletePair);
}

/** `ping` from the management side; the summary's counts and the minimum RTT. */
export async function ping(pair: LinkPair, args: readonly string[], address: string) {
  const out = await pair.inMgmt(['ping', ...args, address]);
  const count = (what: string) => Number(new RegExp(`(\\d+) ${what}`).exec(out.stdout)?.[1] ?? NaN);
  return {
    out,
    transmitted: count('packets transmitted'),
    received: count('received'),
    duplicates: Number(/\+(\d+) duplicates/.exec(out.stdout)?.[1] ?? 0),
    minMs: Number(/= ([\d.]+)\//.exec(out.stdout)?.[1] ?? NaN),
    /** icmp_seq of each reply line, in arrival order. */
    sequence: [...out.stdout.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1])),
  };
}
