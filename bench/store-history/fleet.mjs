// A fleet of switches whose configs change a little every night: the input of the store's size test
// (test/store/repository-size.test.ts) and of the store-history bench. Deterministic (a seeded
// generator), so a size measured once is the size measured every time.

import { seeded as seededRandom } from '../../dist/lab/device/random.js';

/** The lab's seeded generator (mulberry32) as a bare function: the same seed, the same fleet and the same nights. */
export function seeded(seed) {
  return seededRandom(seed).next;
}

/**
 * A sanitized access-switch config as the store keeps it: header, 48 access ports with their own
 * descriptions and VLANs, uplinks, SVIs, an ACL, masked secrets. About 11 KB.
 */
function device(index, random) {
  const name = `sw${String(index).padStart(3, '0')}`;
  const site = `site${Math.floor(index / 20)}`;
  const lines = [
    '!',
    'version 15.2',
    'service timestamps debug datetime msec',
    'service password-encryption',
    `hostname ${name}`,
    '!',
    'enable secret <removed>',
    'username netops privilege 15 secret <removed>',
    'aaa new-model',
    `ip domain-name ${site}.example.net`,
    '!',
  ];
  for (let vlan = 10; vlan <= 60; vlan += 10) lines.push(`vlan ${vlan}`, ` name ${site}-vlan${vlan}`, '!');
  for (let port = 1; port <= 48; port++) {
    const vlan = 10 * (1 + Math.floor(random() * 6));
    lines.push(
      `interface GigabitEthernet1/0/${port}`,
      ` description ${site} room ${100 + Math.floor(random() * 300)} desk ${port}`,
      ` switchport access vlan ${vlan}`,
      ' switchport mode access',
      ' spanning-tree portfast',
      '!',
    );
  }
  for (const uplink of [1, 2]) {
    lines.push(
      `interface TenGigabitEthernet1/1/${uplink}`,
      ` description uplink to ${site}-dist${uplink}`,
      ' switchport mode trunk',
      '!',
    );
  }
  lines.push(`interface Vlan10`, ` ip address 10.${index >> 8}.${index & 255}.2 255.255.255.0`, '!');
  lines.push('ip access-list extended MGMT');
  for (let rule = 0; rule < 12; rule++) lines.push(` permit tcp 10.${rule}.0.0 0.0.255.255 any eq 22`);
  lines.push(
    '!',
    'snmp-server community <removed> RO 10',
    `snmp-server location ${site}`,
    'ntp server 10.0.0.1',
    'line vty 0 4',
    ' transport input ssh',
    '!',
    'end',
  );
  return { name, lines };
}

/** The fleet's configs on the first night. */
export function fleet(devices, seed = 1) {
  const random = seeded(seed);
  return Array.from({ length: devices }, (_, i) => device(i + 1, random));
}

/**
 * One night of small changes, made in place: 1 to 8 devices change 1 to 3 lines (a port's
 * description or VLAN, an ACL line). Returns the names of the devices changed.
 */
export function nightOfChanges(configs, random) {
  const changed = new Set();
  const count = 1 + Math.floor(random() * 8);
  for (let i = 0; i < count; i++) {
    const config = configs[Math.floor(random() * configs.length)];
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e++) {
      const at = editable(config, random);
      const line = config.lines[at];
      config.lines[at] = edited(line, e, random);
      changed.add(config.name);
    }
  }
  return [...changed];
}

/** Another value for the line (never the same one, so every edit is a change). */
function edited(line, e, random) {
  for (;;) {
    let next;
    if (line.startsWith(' description ')) {
      next = `${line.replace(/ \(.*\)$/, '')} (moved ${Math.floor(random() * 1000)})`;
    } else if (line.startsWith(' switchport access vlan ')) {
      next = ` switchport access vlan ${10 * (1 + Math.floor(random() * 6))}`;
    } else {
      next = ` permit tcp host 10.9.${e}.${Math.floor(random() * 256)} any eq 22`;
    }
    if (next !== line) return next;
  }
}

/** A line a change may touch: a port description or VLAN, or an ACL line. */
function editable(config, random) {
  for (;;) {
    const at = Math.floor(random() * config.lines.length);
    if (/^ (description |switchport access vlan |permit )/.test(config.lines[at])) return at;
  }
}

export const text = (config) => `${config.lines.join('\n')}\n`;
