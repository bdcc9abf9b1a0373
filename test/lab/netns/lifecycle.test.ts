/**
 * Lifecycle of a netns lab: `up` twice changes nothing, `down` after the lab's processes were killed
 * with SIGKILL or after `up` itself was killed half-way leaves no namespace, link or process, and a
 * link impairment (spec or `netops lab impair`) shows in the round-trip time measured from the
 * management namespace.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDoctor, labDoctor } from '../../../src/lab/netns/doctor.js';
import { isAlive } from '../../../src/lab/netns/processes.js';
import { netnsLabUp } from '../../../src/lab/netns/netns-lab.js';
import { parseNetnsSpec, type NetnsSpecInput } from '../../../src/lab/netns/spec.js';
import { readState, stateFile, type NetnsState } from '../../../src/lab/netns/state.js';
import { netnsLabDown, netnsLabStatus } from '../../../src/lab/netns/teardown.js';
import { inNs, leftovers, rootNetwork, ssh } from './helpers.js';
import { useCompiledSources } from '../../helpers/netns-lab.js';
import { runNetops } from '../../helpers/netops-cli.js';
import { waitFor } from '../../helpers/wait-for.js';

const runtime = useCompiledSources();
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) {
    await netnsLabDown(dir);
    await rm(dir, { recursive: true, force: true });
  }
});

async function labDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'netops-netns-life-'));
  dirs.push(dir);
  return dir;
}

const small: NetnsSpecInput = {
  devices: [
    { name: 'r1', platform: 'ios' },
    { name: 'f1', platform: 'frr' },
  ],
};

describe('netns lab lifecycle', () => {
  it('is idempotent: a second up of a healthy lab restarts nothing', async () => {
    const dir = await labDir();
    const first = await netnsLabUp(parseNetnsSpec(small), { dir, runtime });
    const second = await netnsLabUp(parseNetnsSpec(small), { dir, runtime });
    expect(second.id).toBe(first.id);
    expect(second.processes.map((p) => p.pid)).toEqual(first.processes.map((p) => p.pid));
    expect((await ssh(second, second.devices[0]?.addresses.ipv4 ?? '', 'show version')).stdout).toContain(
      'Cisco IOS',
    );
    await netnsLabDown(dir);
    expect(await leftovers(first)).toEqual([]);
  });

  it('cleans up after every lab process was killed with SIGKILL', async () => {
    const dir = await labDir();
    const rootBefore = await rootNetwork();
    const state = await netnsLabUp(parseNetnsSpec(small), { dir, runtime });
    for (const p of state.processes) process.kill(p.pid, 'SIGKILL');
    // kill() returns once the signal is sent; on a loaded machine the process may run on briefly.
    const processes = state.processes;
    await waitFor(
      async () => (await Promise.all(processes.map(isAlive))).every((alive) => !alive),
      'every killed lab process to be gone',
    );
    const status = await netnsLabStatus(dir);
    expect(status?.devices.map((d) => d.health)).toEqual(['down', 'down']);
    await netnsLabDown(dir);
    expect(await leftovers(state)).toEqual([]);
    expect(await rootNetwork()).toBe(rootBefore);
  });

  it('cleans up after `up` itself was killed with SIGKILL half-way', async () => {
    const dir = await labDir();
    const script = [
      `import { netnsLabUp } from '${runtime.src}/lab/netns/netns-lab.js';`,
      `import { parseNetnsSpec } from '${runtime.src}/lab/netns/spec.js';`,
      `await netnsLabUp(parseNetnsSpec(${JSON.stringify(small)}), { dir: ${JSON.stringify(dir)}, runtime: { entries: ${JSON.stringify(runtime.entries)} } });`,
    ].join('\n');
    const up = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    // Kill it as soon as it has started its first device process.
    let recorded: NetnsState | undefined;
    await waitFor(async () => {
      recorded = await readFile(stateFile(dir), 'utf8').then(
        (text) => JSON.parse(text) as NetnsState,
        () => undefined,
      );
      return (recorded?.processes.length ?? 0) > 0;
    }, 'the first device process in the state file');
    up.kill('SIGKILL');
    await new Promise((resolve) => up.once('exit', resolve));
    expect(recorded?.processes.length).toBeGreaterThan(0);
    const final = JSON.parse(await readFile(stateFile(dir), 'utf8')) as NetnsState;
    expect(final.up).toBe(false);
    await netnsLabDown(dir);
    expect(await leftovers(final)).toEqual([]);
  });

  it('doctor finds everything the lab needs on this machine (the test setup installed it)', async () => {
    const report = await labDoctor();
    expect(report.checks.filter((c) => !c.ok && c.name !== 'netem qdisc')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.installCommand).toBeUndefined();
    expect(formatDoctor(report)).toMatch(/^ok +root: running as root$/m);
  });

  it('impairs a device from its spec and at run time with `netops lab impair`; down leaves no relay', async () => {
    const dir = await labDir();
    const spec = parseNetnsSpec({
      devices: [{ name: 'r1', platform: 'ios', impair: { fromDevice: { delayMs: 200 } } }],
    });
    const state = await netnsLabUp(spec, { dir, runtime });
    const address = state.devices[0]?.addresses.ipv4 ?? '';
    const minRtt = async () => {
      const ping = await inNs(state.management, ['ping', '-c', '3', '-i', '0.2', address]);
      return Number(/= ([\d.]+)\//.exec(ping.stdout)?.[1]);
    };
    // Without impairment a veth RTT is well under a millisecond: at least 180 ms is the delay.
    expect(await minRtt()).toBeGreaterThanOrEqual(180);
    const relay = (await readState(dir))?.processes.find((p) => p.name === 'r1/impair-relay');
    expect(relay).toBeDefined();
    expect((await netnsLabStatus(dir))?.devices[0]?.health).toBe('up');

    const bad = await runNetops(['lab', 'impair', 'r1', '--dir', dir, '--loss', '120%']);
    expect(bad.code, bad.stderr).toBe(2);
    const cleared = await runNetops(['lab', 'impair', 'r1', '--dir', dir, '--clear']);
    expect(cleared.stdout, cleared.stderr).toContain('r1: no impairment');
    expect(relay && (await isAlive(relay))).toBe(false);
    expect((await inNs(state.devices[0]?.namespace ?? '', ['nft', 'list', 'tables'])).stdout).toBe('');

    const set = await runNetops([
      'lab',
      'impair',
      'r1',
      '--dir',
      dir,
      '--direction',
      'to-device',
      '--delay',
      '200ms',
    ]);
    expect(set.stdout, set.stderr).toContain('r1: to-device: delay 200ms');
    // Only the direction impaired is named, with what impairs it.
    expect(set.stdout).toMatch(/^to-device by nftables and the relay; nftables table \S+$/m);
    expect(await minRtt()).toBeGreaterThanOrEqual(180);
    const status = await runNetops(['lab', 'status', '--dir', dir]);
    expect(status.stdout).toContain('r1 impaired: to-device: delay 200ms');

    const final = await readState(dir);
    await netnsLabDown(dir);
    expect(final && (await leftovers(final))).toEqual([]);
  });
});
