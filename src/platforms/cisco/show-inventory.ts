/**
 * `show inventory` of IOS, IOS-XE and NX-OS (device-reference.md §1.7, §4.7): NAME/DESCR then
 * PID/VID/SN, the same on all three.
 */
import type { EntityClass, PhysicalEntity } from '../../facts/device-facts.js';
import type { ShowCommand } from '../cli-facts.js';

/**
 * The CLI has no class or containment, so the class is read from the name and description and
 * every part hangs from the chassis.
 */
export function parseShowInventory(text: string): PhysicalEntity[] {
  const entry =
    /NAME:\s*"?(.*?)"?\s*,\s+DESCR:\s*"?(.*?)"?\s*\r?\n\s*PID:\s*(.*?)\s*,\s*VID:\s*(.*?)\s*,\s*SN:\s*(\S*)/g;
  const parts = [...text.matchAll(entry)].map((m, i) => ({
    index: i + 1,
    name: m[1]!,
    descr: m[2]!,
    model: m[3]!,
    hardwareRev: m[4]!,
    serial: m[5]!,
  }));
  const chassis = parts.find((p) => entityClass(p.name, p.descr) === 'chassis')?.index ?? 0;
  return parts.map((p) => {
    const cls = entityClass(p.name, p.descr);
    return {
      ...p,
      class: cls,
      containedIn: cls === 'chassis' ? 0 : chassis,
      vendorType: '',
      parentRelPos: -1,
      firmwareRev: '',
      softwareRev: '',
      mfgName: '',
      alias: '',
      assetId: '',
      isFru: cls !== 'chassis',
    };
  });
}

function entityClass(name: string, descr: string): EntityClass {
  if (/^chassis$|\bchassis$/i.test(name) || /chassis$/i.test(descr)) return 'chassis';
  const both = `${name} ${descr}`;
  if (/power ?supply|\bPSU\b|\bPWR\b/i.test(both)) return 'powerSupply';
  if (/\bfan/i.test(both)) return 'fan';
  if (/transceiver|\bSFP|^(Gi|Te|Fa|Eth)\S*\d/i.test(both)) return 'port';
  return 'module';
}

export const ciscoShowInventory: ShowCommand<PhysicalEntity[]> = {
  command: 'show inventory',
  parse: parseShowInventory,
};
