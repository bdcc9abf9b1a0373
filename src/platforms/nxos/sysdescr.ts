/** How NX-OS words sysDescr (device-reference.md §7.2). */
import type { SysDescrPattern } from '../../snmp/sysdescr.js';

export const nxosSysDescr: readonly SysDescrPattern[] = [
  {
    os: 'nx-os',
    match:
      /^Cisco NX-OS(?:\(tm\))?\s+(?<platform>[^,]+?)(?:\s+chassis)?,\s*Software\s*\((?<image>[^)]+)\),\s*Version\s+(?<version>[^\s,]+)/i,
  },
];
