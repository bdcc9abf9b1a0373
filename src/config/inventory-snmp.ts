/** A host's SNMP settings from the closest layer that has `snmp:`, with the built-in defaults filled in. */
import type { Picked } from './inventory-layers.js';
import type { InventorySecrets } from './inventory-secrets.js';
import type { SecretRef, SnmpSettings } from './model.js';

export function snmpSettings(picked: Picked['snmp'], secrets: InventorySecrets): SnmpSettings | undefined {
  if (!picked?.value) return undefined;
  const s = picked.value;
  const { source: src, path: p } = picked.layer;
  const ref = (field: 'community' | 'writeCommunity' | 'authKey' | 'privKey') =>
    s[field] === undefined ? undefined : secrets.read(s[field], src, [...p, 'snmp', field]);
  return s.version === '2c'
    ? {
        version: '2c',
        community: ref('community') as SecretRef,
        ...(s.writeCommunity === undefined ? {} : { writeCommunity: ref('writeCommunity') as SecretRef }),
        port: s.port ?? 161,
      }
    : {
        version: '3',
        user: s.user ?? '',
        level: s.level ?? 'authPriv',
        ...(s.authProtocol === undefined ? {} : { authProtocol: s.authProtocol }),
        ...(s.authKey === undefined ? {} : { authKey: ref('authKey') as SecretRef }),
        ...(s.privProtocol === undefined ? {} : { privProtocol: s.privProtocol }),
        ...(s.privKey === undefined ? {} : { privKey: ref('privKey') as SecretRef }),
        port: s.port ?? 161,
      };
}
