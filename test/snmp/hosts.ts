/** Inventory hosts for SNMP tests, pointing at a test agent. */
import type { Host, SnmpSettings } from '../../src/config/model.js';
import type { SecretRef } from '../../src/config/model.js';

export function snmpHost(name: string, address: string, snmp: SnmpSettings, extra: Partial<Host> = {}): Host {
  return {
    name,
    address,
    port: undefined,
    family: undefined,
    platform: 'ios',
    transport: 'ssh',
    console: undefined,
    snmp,
    credentials: undefined,
    ssh: { legacyAlgorithms: false, trustNewHostKey: false },
    groups: [],
    data: {},
    ...extra,
  };
}

/** Test secrets are plain values in the inventory shape. */
export async function plainSecret(ref: SecretRef): Promise<string> {
  if ('value' in ref) return ref.value;
  throw new Error('tests use { value } secrets only');
}
