/**
 * The OS and version a device announces in sysDescr. Patterns follow the sysDescr samples of
 * device-reference.md §7.2 (the same anchors Observium/LibreNMS use) and net-snmp's Linux default.
 */
import type { OsInfo } from '../facts/os-info.js';

interface Rule {
  readonly name: string;
  readonly match: RegExp;
  /** Decides between rules with the same shape (IOS-XE announces itself as IOS). */
  readonly when?: (descr: string) => boolean;
}

const isIosXe = (d: string) => /IOS[- _]?XE/i.test(d);

// Named groups: platform, image, version. Order matters: the first rule that matches wins.
const rules: readonly Rule[] = [
  {
    name: 'nx-os',
    match:
      /^Cisco NX-OS(?:\(tm\))?\s+(?<platform>[^,]+?)(?:\s+chassis)?,\s*Software\s*\((?<image>[^)]+)\),\s*Version\s+(?<version>[^\s,]+)/i,
  },
  { name: 'ios-xe', when: isIosXe, match: /Cisco IOS XE Software,\s*Version\s+(?<version>[^\s,]+)/i },
  {
    name: 'ios-xe',
    when: isIosXe,
    match:
      /^Cisco IOS Software(?:\s*\[[^\]]*\])?,\s*(?<platform>.*?)\s*Software\s*\((?<image>[^)]+)\),\s*Version\s+(?<version>[^\s,]+)/i,
  },
  {
    name: 'ios',
    match:
      /^Cisco IOS Software,\s*(?<platform>\S+)\s+Software\s*\((?<image>[^)]+)\),\s*Version\s+(?<version>[^\s,]+)/i,
  },
  // Releases before 12.3: "Cisco Internetwork Operating System Software \n IOS (tm) C2600 Software (C2600-I-M), Version 12.2(8)T".
  {
    name: 'ios',
    match: /IOS \(tm\)\s+(?<platform>\S+)\s+Software\s*\((?<image>[^)]+)\),\s*Version\s+(?<version>[^\s,]+)/,
  },
  // net-snmp default: "Linux HOST 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64".
  { name: 'linux', match: /^Linux\s+\S+\s+(?<version>\S+)\s+.*?\s(?<platform>\S+)$/s },
];

export function parseSysDescr(descr: string): OsInfo {
  const oneLine = descr.replace(/\s*\r?\n\s*/g, ' ').trim();
  for (const rule of rules) {
    if (rule.when && !rule.when(oneLine)) continue;
    const groups = rule.match.exec(oneLine)?.groups;
    if (!groups) continue;
    return {
      name: rule.name,
      ...(groups.version ? { version: groups.version } : {}),
      ...(groups.image ? { image: groups.image } : {}),
      ...(groups.platform ? { platform: groups.platform.trim() } : {}),
    };
  }
  return { name: 'unknown' };
}
