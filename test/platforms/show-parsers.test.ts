/** `show version` and `show inventory` as device-reference.md §1.6, §1.7 and §4.7 show them. */
import { describe, expect, it } from 'vitest';
import { parseShowInventory } from '../../src/platforms/cisco/show-inventory.js';
import { parseIosShowVersion } from '../../src/platforms/ios/show-parsers.js';
import { parseNxosShowVersion } from '../../src/platforms/nxos/show-parsers.js';

describe('parseShowInventory', () => {
  it('reads IOS entries with padded PID and VID', () => {
    const text = `NAME: "Chassis", DESCR: "Cisco ASR920 Series - 24GE Copper and 4-10GE - Modular PSU"\r
PID: ASR-920-24TZ-M    , VID: V01  , SN: CAT12345699\r
\r
NAME: "Power Supply Module 0", DESCR: "ASR 920 250W DC Power Supply"\r
PID: ASR-920-PWR-D     , VID: V01  , SN: ART1234ABCD\r
\r
`;
    expect(
      parseShowInventory(text).map((e) => [
        e.index,
        e.class,
        e.name,
        e.descr,
        e.model,
        e.hardwareRev,
        e.serial,
        e.containedIn,
      ]),
    ).toEqual([
      [
        1,
        'chassis',
        'Chassis',
        'Cisco ASR920 Series - 24GE Copper and 4-10GE - Modular PSU',
        'ASR-920-24TZ-M',
        'V01',
        'CAT12345699',
        0,
      ],
      [
        2,
        'powerSupply',
        'Power Supply Module 0',
        'ASR 920 250W DC Power Supply',
        'ASR-920-PWR-D',
        'V01',
        'ART1234ABCD',
        1,
      ],
    ]);
  });

  it('reads NX-OS entries with two spaces after commas, and classes of N7K parts', () => {
    const text = `NAME: "Chassis",  DESCR: "Nexus7000 C7010 (10 Slot) Chassis"
PID: N7K-C7010           ,  VID: V03 ,  SN: TBM12345678

NAME: "Slot 5",  DESCR: "Supervisor Module-2"
PID: N7K-SUP2            ,  VID: V02 ,  SN: JAF5555BBBB

NAME: "PowerSupply-1",  DESCR: "Nexus7000 C7010 6.0 KW AC Power Supply"
PID: N7K-AC-6.0KW        ,  VID: V03 ,  SN: DTM1

NAME: "Fan 1",  DESCR: "Nexus7000 C7010 System Fan Tray"
PID: N7K-C7010-FAN-S     ,  VID: V01 ,  SN: FOX1

NAME: Ethernet1/1,  DESCR: CISCO-ACCELINK
PID: SFP-10G-SR          ,  VID: V03 ,  SN: ACW1

`;
    expect(parseShowInventory(text).map((e) => [e.class, e.name, e.model, e.serial])).toEqual([
      ['chassis', 'Chassis', 'N7K-C7010', 'TBM12345678'],
      ['module', 'Slot 5', 'N7K-SUP2', 'JAF5555BBBB'],
      ['powerSupply', 'PowerSupply-1', 'N7K-AC-6.0KW', 'DTM1'],
      ['fan', 'Fan 1', 'N7K-C7010-FAN-S', 'FOX1'],
      ['port', 'Ethernet1/1', 'SFP-10G-SR', 'ACW1'],
    ]);
  });
});

describe('show version of IOS and NX-OS', () => {
  it('reads IOS-XE version, hostname and uptime', () => {
    const text = `Cisco IOS XE Software, Version 16.08.01b
Cisco IOS Software [Fuji], ASR920 Software (PPC_LINUX_IOSD-UNIVERSALK9_NPE-M), Version 16.8.1b, RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
r1 uptime is 20 weeks, 1 day, 1 hour, 40 minutes
System image file is "bootflash:/asr920-universalk9_npe.16.08.01b.SPA.bin"
cisco ASR-920-24TZ-M (Freescale P2020) processor (revision 1.2 GHz) with 900278K/6147K bytes of memory.
`;
    const v = parseIosShowVersion(text);
    expect(v.os).toMatchObject({ name: 'ios-xe', version: '16.08.01b' });
    expect(v.hostname).toBe('r1');
    expect(v.upTimeTicks).toBe((20 * 604_800 + 86_400 + 3_600 + 40 * 60) * 100);
  });

  it('reads IOS', () => {
    const v =
      parseIosShowVersion(`Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.2(4)M7, RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
sw9 uptime is 1 hour, 2 minutes
`);
    expect(v).toMatchObject({
      hostname: 'sw9',
      os: { name: 'ios', version: '15.2(4)M7', image: 'C2900-UNIVERSALK9-M' },
      upTimeTicks: 372_000,
    });
  });

  it('reads NX-OS 10.x and N7K 6.x', () => {
    const n9k = parseNxosShowVersion(`Cisco Nexus Operating System (NX-OS) Software
Software
  BIOS: version 01.11
  NXOS: version 10.4(5) [Maintenance Release]
  NXOS image file is: bootflash:///nxos64-cs.10.4.5.M.bin
Hardware
  cisco Nexus9000 C9300v Chassis
  Device name: leaf1
Kernel uptime is 1 day(s), 1 hour(s), 14 minute(s), 14 second(s)
`);
    expect(n9k).toMatchObject({
      hostname: 'leaf1',
      os: {
        name: 'nx-os',
        version: '10.4(5)',
        image: 'nxos64-cs.10.4.5.M.bin',
        platform: 'Nexus9000 C9300v',
      },
    });
    expect(n9k.upTimeTicks).toBe((86_400 + 3_600 + 14 * 60 + 14) * 100);
    const n7k = parseNxosShowVersion(`Cisco Nexus Operating System (NX-OS) Software
  system:    version 6.2(16)
  system image file is:    bootflash:///n7000-s2-dk9.6.2.16.bin
  cisco Nexus7000 C7010 (10 Slot) Chassis ("Supervisor Module-2")
  Device name: n7k1
`);
    expect(n7k.os).toEqual({
      name: 'nx-os',
      version: '6.2(16)',
      image: 'n7000-s2-dk9.6.2.16.bin',
      platform: 'Nexus7000 C7010',
    });
    expect(n7k.upTimeTicks).toBeUndefined();
  });
});
