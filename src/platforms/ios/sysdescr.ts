/** How IOS and IOS-XE word sysDescr (device-reference.md §7.2; the anchors Observium/LibreNMS use). */
import type { SysDescrPattern } from '../../snmp/sysdescr.js';

const iosXe = /IOS[- _]?XE/i;

/** Order matters: IOS-XE before IOS, whose shape it shares. */
export const iosSysDescr: readonly SysDescrPattern[] = [
  { os: 'ios-xe', when: iosXe, match: /Cisco IOS XE Software,\s*Version\s+(?<version>[^\s,]+)/i },
  {
    os: 'ios-xe',
    when: iosXe,
    match:
      /^Cisco IOS Software(?:\s*\[[^\]]*\])?,\s*(?<platform>.*?)\s*Software\s*\((?<image>[^)]+)\),\s*Version\s+(?<version>[^\s,]+)/i,
  },
  {
    os: 'ios',
    match:
      /^Cisco IOS Software,\s*(?<platform>\S+)\s+Software\s*\((?<image>[^)]+)\),\s*Version\s+(?<version>[^\s,]+)/i,
  },
  // Releases before 12.3: "Cisco Internetwork Operating System Software \n IOS (tm) C2600 Software (C2600-I-M), Version 12.2(8)T".
  {
    os: 'ios',
    match: /IOS \(tm\)\s+(?<platform>\S+)\s+Software\s*\((?<image>[^)]+)\),\s*Version\s+(?<version>[^\s,]+)/,
  },
];
