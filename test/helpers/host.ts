/** An inventory host as the loader builds it, for tests that need one without an inventory file. */
import type { Host } from '../../src/config/model.js';

export function testHost(name: string, extra: Partial<Host> = {}): Host {
  return {
    name,
    address: '198.18.0.1',
    port: undefined,
    family: undefined,
    platform: 'ios',
    transport: 'ssh',
    console: undefined,
    snmp: undefined,
    credentials: undefined,
    ssh: { legacyAlgorithms: false, trustNewHostKey: false },
    groups: [],
    data: {},
    ...extra,
  };
}
