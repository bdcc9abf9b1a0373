// The netns lab's scale namespace as a bench lab (root needed): thousands of simulated ios/nxos
// devices, each on its own address (198.19.0.1, ...) with SSH on port 22, shared out over simulator
// processes; IPv4 only, so each device costs three sockets. netops reaches them from the lab's
// management namespace. The inventory names them s1, s2, ... like the lab does.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { scaleAddresses } from '../../dist/lab/netns/addressing.js';
import { netnsLabUp } from '../../dist/lab/netns/netns-lab.js';
import { parseNetnsSpec } from '../../dist/lab/netns/spec.js';
import { netnsLabDown } from '../../dist/lab/netns/teardown.js';

export const scalePlatforms = ['ios', 'nxos'];

/**
 * Brings up a scale lab of `devices` in `dir` (`configBytes` per config, `latencyMs` before every
 * response): resolves { spec, state, secrets, close }; `secrets` is the environment the inventory's
 * references need.
 */
export async function startScaleLab(dir, { devices, configBytes, latencyMs = 0 }) {
  const spec = parseNetnsSpec({
    ...(configBytes === undefined ? {} : { configBytes }),
    scale: { devices, platforms: scalePlatforms, families: ['ipv4'], latencyMs },
  });
  try {
    const state = await netnsLabUp(spec, { dir, readyTimeoutMs: 600_000 });
    const secrets = { NETOPS_LAB_PASSWORD: spec.password, NETOPS_LAB_ENABLE: spec.enableSecret };
    return { spec, state, secrets, close: () => netnsLabDown(dir) };
  } catch (error) {
    await netnsLabDown(dir);
    throw error;
  }
}

/** Writes `dir/inventory.yaml`: every scale device of `spec` as a host, secrets by reference. */
export async function writeScaleInventory(dir, spec) {
  const hosts = Object.fromEntries(
    Array.from({ length: spec.scale.devices }, (_, i) => [
      `s${i + 1}`,
      { address: scaleAddresses(i).ipv4, groups: [scalePlatforms[i % scalePlatforms.length]] },
    ]),
  );
  const inventory = {
    defaults: { credentials: 'lab' },
    credentials: {
      lab: {
        username: spec.username,
        password: { env: 'NETOPS_LAB_PASSWORD' },
        enable: { env: 'NETOPS_LAB_ENABLE' },
      },
    },
    groups: Object.fromEntries(scalePlatforms.map((p) => [p, { platform: p }])),
    hosts,
  };
  await writeFile(path.join(dir, 'inventory.yaml'), stringify(inventory));
}
