/**
 * Two `netops lab up --mode container` at the same moment (root, podman), as users start them: both
 * come up, each on its own network slot (the race itself, made certain: network-slots.test.ts), and
 * `lab status` names the impaired device with its impairment, as the netns lab's does.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { labNetwork } from '../../../src/lab/container/addressing.js';
import type { ContainerLabState } from '../../../src/lab/container/state.js';
import { networkSubnets } from '../../helpers/container-lab.js';
import { useTempDir } from '../../helpers/fixture.js';
import { runNetops } from '../../helpers/netops-cli.js';

const dirs = [useTempDir('netops-container-slot-a-'), useTempDir('netops-container-slot-b-')];

afterAll(async () => {
  for (const dir of dirs) await runNetops(['lab', 'down', '--dir', dir]);
}, 300_000);

describe('two container labs brought up at once', () => {
  it('brings up two labs at once on their own subnets; lab status names the impaired device', async () => {
    const specs = [
      { devices: [{ name: 'r1', platform: 'ios', impair: { fromDevice: { delayMs: 50 } } }] },
      { devices: [{ name: 'n1', platform: 'nxos' }] },
    ];
    const ups = await Promise.all(
      dirs.map(async (dir, i) => {
        const spec = path.join(dir, 'spec.yaml');
        await writeFile(spec, stringify(specs[i]));
        return runNetops(['lab', 'up', '--mode', 'container', '--spec', spec, '--dir', dir]);
      }),
    );
    for (const up of ups) expect(up.code, up.stderr).toBe(0);
    const states = await Promise.all(
      dirs.map(
        async (dir) =>
          JSON.parse(await readFile(path.join(dir, 'container-lab.json'), 'utf8')) as ContainerLabState,
      ),
    );
    expect(states[0]?.network.slot).not.toBe(states[1]?.network.slot);
    for (const state of states) {
      const { subnet } = labNetwork(state.network.slot);
      expect(await networkSubnets(state.network.name)).toBe(`${subnet.ipv4} ${subnet.ipv6}`);
    }

    const status = await runNetops(['lab', 'status', '--dir', dirs[0] ?? '']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('r1 impaired: from-device: delay 50ms');
    const json = await runNetops(['lab', 'status', '--dir', dirs[0] ?? '', '--json']);
    const parsed = JSON.parse(json.stdout) as {
      impairments: Record<string, unknown>;
      relaysStopped: string[];
    };
    expect(parsed.impairments).toEqual({ r1: { fromDevice: expect.objectContaining({ delayMs: 50 }) } });
    expect(parsed.relaysStopped).toEqual([]);
    const plain = await runNetops(['lab', 'status', '--dir', dirs[1] ?? '']);
    expect(plain.stdout).not.toContain('impaired');
  }, 300_000);
});
