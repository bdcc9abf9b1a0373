/**
 * Hardware and software identity of a simulated device: an ISR 2911-like router for IOS and a
 * Nexus 7010-like chassis (supervisors, linecards, PSUs, fans) for NX-OS (device-reference.md §1.6,
 * §1.7, §4.7, §7). Serial numbers come from the device's seed.
 */
import type { PhysicalEntity, Platform, VersionInfo } from './model.js';
import type { Random } from './random.js';

export interface Hardware {
  readonly version: VersionInfo;
  readonly entities: readonly PhysicalEntity[];
}

const cisco = (n: string) => `1.3.6.1.4.1.9.12.3.1.${n}`;

type Part = Omit<PhysicalEntity, 'firmwareRev' | 'softwareRev' | 'serial'> & {
  readonly serialPrefix: string;
};

export function hardwareFor(platform: Platform, r: Random): Hardware {
  return platform === 'ios' ? iosHardware(r) : nxosHardware(r);
}

function build(parts: readonly Part[], r: Random, software: string, firmware: string): PhysicalEntity[] {
  return parts.map(({ serialPrefix, ...p }) => ({
    ...p,
    serial: p.class === 5 ? '' : r.serial(serialPrefix, 11),
    firmwareRev: p.class === 3 || p.class === 9 ? firmware : '',
    softwareRev: p.class === 3 || p.class === 9 ? software : '',
  }));
}

/** An ISR 2911: chassis, power supply in its bay, fan tray, one EHWIC switch card in its slot. */
const iosParts: readonly Part[] = [
  {
    index: 1,
    class: 3,
    containedIn: 0,
    parentRelPos: -1,
    name: 'CISCO2911/K9 chassis',
    descr: 'CISCO2911/K9 chassis',
    pid: 'CISCO2911/K9',
    vid: 'V07',
    vendorType: cisco('3.1045'),
    isFru: false,
    serialPrefix: 'FTX',
  },
  {
    index: 2,
    class: 5,
    containedIn: 1,
    parentRelPos: 0,
    name: 'Power Supply Bay 0',
    descr: 'Power Supply Bay',
    pid: '',
    vid: '',
    vendorType: cisco('5.1'),
    isFru: false,
    serialPrefix: '',
  },
  {
    index: 3,
    class: 6,
    containedIn: 2,
    parentRelPos: 0,
    name: 'C2911 AC Power Supply',
    descr: 'Cisco 2911/2921 AC Power Supply',
    pid: 'PWR-2911-AC',
    vid: 'V04',
    vendorType: cisco('6.1'),
    isFru: true,
    serialPrefix: 'QCS',
  },
  {
    index: 4,
    class: 7,
    containedIn: 1,
    parentRelPos: 1,
    name: 'Fan Tray',
    descr: 'Cisco 2911 Fan Tray',
    pid: 'ACS-2911-FANASSY',
    vid: 'V01',
    vendorType: cisco('7.1'),
    isFru: true,
    serialPrefix: 'FOC',
  },
  {
    index: 5,
    class: 5,
    containedIn: 1,
    parentRelPos: 2,
    name: 'EHWIC Slot 0',
    descr: 'EHWIC Slot',
    pid: '',
    vid: '',
    vendorType: cisco('5.2'),
    isFru: false,
    serialPrefix: '',
  },
  {
    index: 6,
    class: 9,
    containedIn: 5,
    parentRelPos: 0,
    name: 'EHWIC-4ESG 0/0',
    descr: 'EHWIC 4 port 10/100/1000 Ethernet switch',
    pid: 'EHWIC-4ESG',
    vid: 'V02',
    vendorType: cisco('9.1'),
    isFru: true,
    serialPrefix: 'FOC',
  },
];

function iosHardware(r: Random): Hardware {
  const version = '15.2(4)M7';
  const entities = build(iosParts, r, version, '15.0(1r)M16');
  return {
    entities,
    version: {
      version,
      image: 'C2900-UNIVERSALK9-M',
      imageFile: 'flash0:c2900-universalk9-mz.SPA.152-4.M7.bin',
      model: 'CISCO2911/K9',
      processorBoardId: entities[0]?.serial ?? '',
      sysObjectId: '1.3.6.1.4.1.9.1.1045',
      rom: 'System Bootstrap, Version 15.0(1r)M16, RELEASE SOFTWARE (fc1)',
    },
  };
}

/** A supervisor or linecard in its chassis slot. */
function nxosModule(slot: number, descr: string, pid: string): Part {
  return {
    index: 22 + slot,
    class: 9,
    containedIn: 149,
    parentRelPos: slot,
    name: `Slot ${slot}`,
    descr,
    pid,
    vid: 'V02',
    vendorType: cisco('9.1'),
    isFru: true,
    serialPrefix: 'JAF',
  };
}

/** A Nexus 7010: chassis, two linecards, two supervisors, three power supplies, two fan trays. */
const nxosParts: readonly Part[] = [
  {
    index: 149,
    class: 3,
    containedIn: 0,
    parentRelPos: -1,
    name: 'Chassis',
    descr: 'Nexus7000 C7010 (10 Slot) Chassis',
    pid: 'N7K-C7010',
    vid: 'V03',
    vendorType: cisco('3.612'),
    isFru: false,
    serialPrefix: 'TBM',
  },
  nxosModule(1, '1/10 Gbps Ethernet Module', 'N7K-F248XP-25E'),
  nxosModule(2, '1/10 Gbps Ethernet Module', 'N7K-F248XP-25E'),
  nxosModule(5, 'Supervisor Module-2', 'N7K-SUP2'),
  nxosModule(6, 'Supervisor Module-2', 'N7K-SUP2'),
  ...[1, 2, 3].map((n): Part => ({
    index: 470 + n,
    class: 6,
    containedIn: 149,
    parentRelPos: n,
    name: `PowerSupply-${n}`,
    descr: 'Nexus7000 C7010 6.0 KW AC Power Supply',
    pid: 'N7K-AC-6.0KW',
    vid: 'V03',
    vendorType: cisco('6.2'),
    isFru: true,
    serialPrefix: 'DTM',
  })),
  ...[1, 2].map((n): Part => ({
    index: 534 + n,
    class: 7,
    containedIn: 149,
    parentRelPos: n,
    name: `Fan ${n}`,
    descr: 'Nexus7000 C7010 System Fan Tray',
    pid: 'N7K-C7010-FAN-S',
    vid: 'V01',
    vendorType: cisco('7.2'),
    isFru: true,
    serialPrefix: 'FOX',
  })),
];

function nxosHardware(r: Random): Hardware {
  const version = '6.2(16)';
  const entities = build(nxosParts, r, version, '2.12');
  return {
    entities,
    version: {
      version,
      image: 'n7000-s2-dk9',
      imageFile: 'bootflash:///n7000-s2-dk9.6.2.16.bin',
      model: 'Nexus7000 C7010 (10 Slot) Chassis ("Supervisor Module-2")',
      processorBoardId: entities.find((e) => e.pid === 'N7K-SUP2')?.serial ?? '',
      sysObjectId: '1.3.6.1.4.1.9.12.3.1.3.612',
      rom: '2.12.0',
    },
  };
}

/** `show inventory`: IOS pads PID and VID before the commas; NX-OS uses two spaces after commas. */
export function showInventory(platform: Platform, entities: readonly PhysicalEntity[]): string {
  const listed = entities.filter((e) => e.pid !== '');
  if (platform === 'ios') {
    return listed
      .map(
        (e) =>
          `NAME: "${e.name}", DESCR: "${e.descr}"\nPID: ${e.pid.padEnd(18)}, VID: ${e.vid.padEnd(5)}, SN: ${e.serial}\n\n`,
      )
      .join('');
  }
  return listed
    .map(
      (e) =>
        `NAME: "${e.name}",  DESCR: "${e.descr}"\nPID: ${e.pid.padEnd(20)},  VID: ${e.vid.padEnd(4)},  SN: ${e.serial}\n\n`,
    )
    .join('');
}

export function sysDescr(platform: Platform, v: VersionInfo): string {
  if (platform === 'ios') {
    return [
      `Cisco IOS Software, C2900 Software (${v.image}), Version ${v.version}, RELEASE SOFTWARE (fc2)`,
      'Technical Support: http://www.cisco.com/techsupport',
      'Copyright (c) 1986-2015 by Cisco Systems, Inc.',
      'Compiled Tue 03-Mar-15 11:21 by prod_rel_team',
    ].join('\r\n');
  }
  return `Cisco NX-OS(tm) n7000, Software (${v.image}), Version ${v.version}, RELEASE SOFTWARE Copyright (c) 2002-2016 by Cisco Systems, Inc. Compiled 10/19/2016 20:00:00`;
}
