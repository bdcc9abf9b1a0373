/** `show version` for IOS (device-reference.md §1.6) and NX-OS (§4.7). */
import type { Device } from '../device/device.js';

function uptime(ms: number, nxos: boolean): string {
  const s = Math.floor(ms / 1000);
  const [d, h, m, sec] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60];
  if (nxos) return `${d} day(s), ${h} hour(s), ${m} minute(s), ${sec} second(s)`;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return [d ? part(d, 'day') : '', h ? part(h, 'hour') : '', part(m, 'minute')].filter(Boolean).join(', ');
}

export function showVersion(device: Device): string {
  const v = device.hardware.version;
  if (device.platform === 'ios') {
    return `Cisco IOS Software, C2900 Software (${v.image}), Version ${v.version}, RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2015 by Cisco Systems, Inc.
Compiled Tue 03-Mar-15 11:21 by prod_rel_team

ROM: ${v.rom}

${device.hostname} uptime is ${uptime(device.uptimeMs, false)}
System returned to ROM by reload
System image file is "${v.imageFile}"
Last reload type: Normal Reload
Last reload reason: Reload Command

Cisco ${v.model} (revision 1.0) with 483328K/40960K bytes of memory.
Processor board ID ${v.processorBoardId}
3 Gigabit Ethernet interfaces
DRAM configuration is 64 bits wide with parity enabled.
255K bytes of non-volatile configuration memory.
250880K bytes of ATA System CompactFlash 0 (Read/Write)

Configuration register is 0x2102

`;
  }
  return `Cisco Nexus Operating System (NX-OS) Software
TAC support: http://www.cisco.com/tac
Copyright (c) 2002-2016, Cisco Systems, Inc. All rights reserved.

Software
  BIOS:      version ${v.rom}
  kickstart: version ${v.version}
  system:    version ${v.version}
  BIOS compile time:       10/12/2016
  kickstart image file is: ${v.imageFile.replace('s2-dk9', 's2-kickstart')}
  system image file is:    ${v.imageFile}

Hardware
  cisco ${v.model}
  Intel(R) Xeon(R) CPU         with 32745060 kB of memory.
  Processor Board ID ${v.processorBoardId}

  Device name: ${device.hostname}
  bootflash:    1768157 kB

Kernel uptime is ${uptime(device.uptimeMs, true)}

Last reset
  Reason: Reset Requested by CLI command reload
  System version: ${v.version}
`;
}
