/**
 * `show version` and `show inventory` of IOS, IOS-XE and NX-OS (device-reference.md §1.6, §1.7,
 * §4.7), read into the same shapes SNMP gives, for hosts whose SNMP agent cannot be used.
 */
import type { EntityClass, PhysicalEntity } from '../../facts/device-facts.js';
import type { OsInfo } from '../../facts/os-info.js';
import { parseSysDescr } from '../../snmp/sysdescr.js';

export interface ShowVersion {
  /** The banner line(s) that stand in for sysDescr. */
  readonly descr: string;
  readonly hostname: string;
  readonly os: OsInfo;
  /** Uptime in hundredths of a second, when the output says it. */
  readonly upTimeTicks?: number;
}

export function parseShowVersion(text: string): ShowVersion {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  // NX-OS names the device on its own line; its "Kernel uptime is" line is not a host name.
  const hostname =
    /^\s*Device name:\s*(\S+)/m.exec(text)?.[1] ?? /^(?!Kernel )(\S+) uptime is /m.exec(text)?.[1] ?? '';
  const uptime = /uptime is (.+)$/m.exec(text)?.[1];
  const ticks = uptime === undefined ? undefined : uptimeTicks(uptime);
  const nxos = /NX-OS/.test(text) && /^\s*(?:NXOS|system):\s+version\s+(\S+)/m.exec(text);
  if (nxos) {
    const image = /^\s*(?:NXOS|system) image file is:\s*\S*?([^/:\s]+)\s*$/m.exec(text)?.[1];
    const platform = /^\s*cisco (Nexus\S*\s+[^\s(]+)/m.exec(text)?.[1];
    return {
      descr: lines.find((l) => /NX-OS/.test(l))?.trim() ?? '',
      hostname,
      os: {
        name: 'nx-os',
        version: nxos[1]!,
        ...(image ? { image } : {}),
        ...(platform ? { platform } : {}),
      },
      ...(ticks === undefined ? {} : { upTimeTicks: ticks }),
    };
  }
  // IOS-XE prints its own line before the IOS banner; both stand in for sysDescr.
  const banner = lines
    .filter((l) => /^Cisco IOS|^IOS \(tm\)|^Cisco Internetwork Operating System/.test(l))
    .map((l) => l.trim());
  const descr = banner.join('\n');
  return {
    descr,
    hostname,
    os: parseSysDescr(descr),
    ...(ticks === undefined ? {} : { upTimeTicks: ticks }),
  };
}

const unitSeconds: Readonly<Record<string, number>> = {
  year: 31_536_000,
  week: 604_800,
  day: 86_400,
  hour: 3_600,
  minute: 60,
  second: 1,
};

/** `20 weeks, 1 day, 1 hour, 40 minutes` or `1 day(s), 1 hour(s), 14 minute(s), 14 second(s)`. */
function uptimeTicks(text: string): number | undefined {
  let seconds = 0;
  let found = false;
  for (const m of text.matchAll(/(\d+)\s*(year|week|day|hour|minute|second)/g)) {
    seconds += Number(m[1]) * (unitSeconds[m[2]!] ?? 0);
    found = true;
  }
  return found ? seconds * 100 : undefined;
}

/**
 * Entries of `show inventory`: NAME/DESCR then PID/VID/SN. The CLI has no class or containment, so
 * the class is read from the name and description and every part hangs from the chassis.
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
