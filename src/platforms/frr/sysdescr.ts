/** FRR routers answer SNMP with net-snmp's snmpd, whose default sysDescr is the Linux host's `uname -a`. */
import type { SysDescrPattern } from '../../snmp/sysdescr.js';

export const frrSysDescr: readonly SysDescrPattern[] = [
  // "Linux HOST 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64".
  { os: 'linux', match: /^Linux\s+\S+\s+(?<version>\S+)\s+.*?\s(?<platform>\S+)$/s },
];
