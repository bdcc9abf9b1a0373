/** Facts of a small network for report tests: two IOS routers at two sites and a Nexus 7000. */
import type { DeviceFacts, PhysicalEntity } from '../../src/facts/device-facts.js';

type Part = Pick<PhysicalEntity, 'index' | 'class' | 'name' | 'containedIn'> & Partial<PhysicalEntity>;

function entity(p: Part): PhysicalEntity {
  return {
    descr: '',
    vendorType: '0.0',
    parentRelPos: -1,
    hardwareRev: '',
    firmwareRev: '',
    softwareRev: '',
    serial: '',
    mfgName: '',
    model: '',
    alias: '',
    assetId: '',
    isFru: false,
    ...p,
  };
}

function router(host: string, site: string, chassisSerial: string, moduleSerial: string): DeviceFacts {
  return {
    host,
    inventory: { groups: ['routers', site === 'Site A' ? 'site-a' : 'site-b'], site, platform: 'ios' },
    system: {
      descr:
        'Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.2(4)M7, RELEASE SOFTWARE (fc2)',
      objectId: '1.3.6.1.4.1.9.1.1041',
      name: host,
      location: `${site}, rack 4`,
      contact: '',
    },
    os: { name: 'ios', version: '15.2(4)M7', image: 'C2900-UNIVERSALK9-M', platform: 'C2900' },
    sources: { system: 'snmp', os: 'snmp', entities: 'snmp' },
    entities: [
      entity({
        index: 1,
        class: 'chassis',
        name: 'CISCO2911/K9 chassis',
        containedIn: 0,
        model: 'CISCO2911/K9',
        serial: chassisSerial,
        hardwareRev: 'V07',
        descr: 'CISCO2911/K9 chassis, Hw Serial#: ' + chassisSerial,
      }),
      entity({ index: 5, class: 'container', name: 'HWIC Slot 0/1', containedIn: 1, parentRelPos: 1 }),
      entity({
        index: 6,
        class: 'module',
        name: 'module 2',
        containedIn: 5,
        model: 'HWIC-4ESW',
        serial: moduleSerial,
        hardwareRev: 'V02',
        isFru: true,
        descr: 'Four port 10BASE-T/100BASE-TX EtherSwitch',
      }),
      entity({
        index: 7,
        class: 'powerSupply',
        name: 'C2911 AC Power Supply',
        containedIn: 1,
        parentRelPos: 2,
        model: 'PWR-2911-AC',
        serial: `DCA${chassisSerial.slice(-4)}`,
        isFru: true,
      }),
      entity({ index: 8, class: 'fan', name: 'Fan Tray', containedIn: 1, parentRelPos: 3 }),
    ],
  };
}

export const nexus: DeviceFacts = {
  host: 'n7k-core1',
  inventory: { groups: ['core'], site: 'DC1', platform: 'nxos' },
  system: {
    descr: 'Cisco NX-OS(tm) n7000, Software (n7000-s2-dk9), Version 6.2(8b)',
    objectId: '1.3.6.1.4.1.9.12.3.1.3.612',
    name: 'n7k-core1',
    location: 'DC1 "hall 2", row 7',
    contact: '',
    lastBoot: '2026-01-02T03:04:05Z',
  },
  os: { name: 'nx-os', version: '6.2(8b)', image: 'n7000-s2-dk9', platform: 'n7000' },
  sources: { system: 'snmp', os: 'snmp', entities: 'snmp' },
  entities: [
    entity({
      index: 149,
      class: 'chassis',
      name: 'Chassis',
      containedIn: 0,
      model: 'N7K-C7010',
      serial: 'TBM12345678',
      descr: 'Nexus7000 C7010 (10 Slot) Chassis',
    }),
    entity({ index: 23, class: 'container', name: 'Slot 1', containedIn: 149, parentRelPos: 1 }),
    entity({
      index: 24,
      class: 'module',
      name: 'Slot 1',
      containedIn: 23,
      model: 'N7K-F248XP-25E',
      serial: 'JAF1111AAAA',
      descr: '1/10 Gbps Ethernet Module, 48 ports',
      isFru: true,
    }),
    entity({
      index: 28,
      class: 'module',
      name: 'Supervisor Module-2',
      containedIn: 149,
      parentRelPos: 5,
      model: 'N7K-SUP2',
      serial: 'JAF5555BBBB',
      descr: 'Supervisor "Module-2"\nwith CMP',
      isFru: true,
    }),
    entity({
      index: 471,
      class: 'powerSupply',
      name: 'PowerSupply-1',
      containedIn: 149,
      model: 'N7K-AC-6.0KW',
      serial: 'DTM1',
      isFru: true,
    }),
  ],
};

export const sampleFacts: DeviceFacts[] = [
  router('r1', 'Site A', 'FTX1840ALBC', 'FOC1234'),
  router('r2', 'Site B', 'FTX1840ZZZZ', 'FOC5678'),
  nexus,
];

export { router };
