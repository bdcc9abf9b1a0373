/**
 * The netops inventory of a container lab, `DIR/container-inventory.yaml` with its secrets in
 * `DIR/container-lab.env`: the same shape as the netns lab's, for netops running on the host.
 */
import { labInventory, writeLabInventory } from '../netns/netns-inventory.js';
import type { ContainerLabState } from './state.js';

export function containerInventory(state: ContainerLabState): string {
  return labInventory({
    id: state.id,
    mode: 'container',
    spec: state.spec,
    terminalServer: state.network.terminalServer,
    devices: state.devices.map((d) => ({ ...d, place: { container: d.container } })),
  });
}

export function writeContainerInventory(
  state: ContainerLabState,
): Promise<{ inventory: string; env: string }> {
  return writeLabInventory(state.dir, 'container', containerInventory(state), state.spec);
}
