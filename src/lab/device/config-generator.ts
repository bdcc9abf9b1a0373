/**
 * Deterministic configurations of a chosen size (5 KB .. 500 KB) for simulated devices. Every kind of
 * secret line the sanitizer masks (device-reference.md §1.5) appears at least once, the rest is stable
 * filler (interfaces, ACLs, route-maps) so that two backups of an unchanged device compare equal.
 * As in a fleet built from templates, the ACLs and route-maps are the platform's policy, the same on
 * every device of it; interfaces, addresses and routes are each device's own, and so are the
 * {@link OwnSecrets}: the secret shapes a sanitizer most easily gets wrong, each value the device's own.
 */
import type { ConfigTree } from './config-tree.js';
import type { Platform } from './model.js';
import { mgmtInterface } from './model.js';
import type { Random } from './random.js';
import { encodeType7, hashSecret } from './secrets.js';

export interface GeneratorInput {
  readonly platform: Platform;
  readonly hostname: string;
  readonly random: Random;
  /** The platform's policy: a stream each device of the platform starts afresh, for ACLs and route-maps. */
  readonly policy: Random;
  /** Approximate size of the rendered running-config. */
  readonly sizeBytes: number;
  readonly username: string;
  readonly password: string;
  readonly enableSecret: string;
  readonly readCommunity: string;
  readonly writeCommunity: string;
  readonly v3User?: { readonly name: string; readonly authKey: string; readonly privKey: string };
  /** Loopback0 addresses; 10.254.254.N and fd00:254::N by default. */
  readonly loopback: { readonly ipv4: string; readonly ipv6: string };
  readonly mgmt: { readonly ipv4: string; readonly ipv6: string };
  readonly tftpSourceLoopback: boolean;
  readonly own: OwnSecrets;
}

/**
 * Secrets whose place in their line is easy to get wrong (a community of digits, a community that
 * is itself a secret keyword, a value after a key id or an SPI), one value per device so a sweep
 * tells which device's secret leaked. Values as printed in the running-config; IOS-only ones unused
 * on NX-OS.
 */
export interface OwnSecrets {
  /** `snmp-server community 48213577 RO`. */
  readonly numericCommunity: string;
  /** A community that reads as a secret keyword: `snmp-server community k7q2m-secret RO`. */
  readonly keywordCommunity: string;
  /** `ntp authentication-key 3 md5 VALUE 7`: IOS type 7, NX-OS its own lower-case letters. */
  readonly ntpKey: string;
  /** TrustSec `cts manual` / `sap pmk HEX`. */
  readonly sapPmk: string;
  /** `mpls ldp password option 1 for 10 PW` and `mpls ldp password fallback PW`. */
  readonly ldpOption: string;
  readonly ldpFallback: string;
  /** EIGRP named mode `af-interface default` / `authentication mode hmac-sha-256 PW`. */
  readonly eigrp: string;
  /** `crypto isakmp key 48213577 address A`: digits, which could read as a key id. */
  readonly isakmpNumeric: string;
  /** Manual IPsec `set session-key inbound|outbound esp SPI cipher HEX authenticator HEX`. */
  readonly sessionKeys: {
    readonly inbound: { readonly cipher: string; readonly authenticator: string };
    readonly outbound: { readonly cipher: string; readonly authenticator: string };
  };
  /** ` key VALUE` under `radius server` (digits, like a key chain's key id) and `tacacs server`. */
  readonly radiusKey: string;
  readonly tacacsKey: string;
  /** EEM `action N mail server "eem:PW@host"`. */
  readonly mailPassword: string;
}

export function ownSecrets(platform: Platform, r: Random): OwnSecrets {
  // Eight digits: a thousand devices share one about once in 180 fleets (six digits: every other fleet).
  const digits = () => String(r.int(10_000_000, 99_999_999));
  const word = (length: number) => r.serial('', length);
  const hex = (length: number) => Array.from({ length }, () => '0123456789ABCDEF'[r.int(0, 15)]).join('');
  const letters = (length: number) =>
    Array.from({ length }, () => String.fromCharCode(97 + r.int(0, 25))).join('');
  const session = () => ({ cipher: hex(32), authenticator: hex(40) });
  return {
    numericCommunity: digits(),
    keywordCommunity: `${word(5).toLowerCase()}-secret`,
    ntpKey: platform === 'ios' ? encodeType7(word(8), r.int(0, 15)) : letters(10),
    sapPmk: hex(32),
    ldpOption: word(10),
    ldpFallback: word(10),
    eigrp: word(12),
    isakmpNumeric: digits(),
    sessionKeys: { inbound: session(), outbound: session() },
    radiusKey: digits(),
    tacacsKey: word(10),
    mailPassword: word(10),
  };
}

type Add = (line: string, children?: string[]) => void;

export function generateConfig(input: GeneratorInput): ConfigTree {
  const tree: ConfigTree = [];
  const tail: ConfigTree = [];
  let size = 0;
  const adder =
    (to: ConfigTree): Add =>
    (line, children = []) => {
      to.push({ line, children });
      // Rendered size: the line, its indented children, and a `!` separator after a block.
      size +=
        line.length + 1 + children.reduce((sum, c) => sum + c.length + 2, 0) + (children.length ? 2 : 0);
    };
  const add = adder(tree);
  const { random: r } = input;
  const seed = () => r.int(1, 1_000_000);
  if (input.platform === 'ios') iosSecrets(input, add, seed);
  else nxosSecrets(input, add, seed);
  interfaces(input, add);
  // The tail is counted before the filler, which takes what is left of the size.
  if (input.platform === 'ios') iosTail(input, adder(tail));
  let n = 0;
  while (size < input.sizeBytes - 400) filler(input, add, r, n++);
  tree.push(...tail);
  return tree;
}

function iosSecrets(input: GeneratorInput, add: Add, seed: () => number): void {
  const { own } = input;
  const t7 = (s: string) => encodeType7(s, seed());
  add('service timestamps debug datetime msec');
  add('service timestamps log datetime msec');
  add(`hostname ${input.hostname}`);
  add(`enable secret 5 ${hashSecret(input.enableSecret, '$1$', seed())}`);
  add('aaa new-model');
  add('aaa authentication login default local');
  add('aaa authorization exec default local');
  add('ip domain name lab.example');
  add('ip cef');
  add('ipv6 unicast-routing');
  add(`username ${input.username} privilege 15 secret 5 ${hashSecret(input.password, '$1$', seed())}`);
  add(`username operator password 7 ${t7(input.password)}`);
  add('key chain OSPF-KEYS', ['key 1', ` key-string 7 ${t7('chain-key')}`]);
  add('crypto isakmp policy 10', ['encr aes', 'authentication pre-share', 'group 14']);
  add(`crypto isakmp key ${t7('isakmp').slice(0, 10)} address 198.51.100.7`);
  add(`crypto isakmp key ${own.isakmpNumeric} address 198.51.100.8`);
  add('crypto ipsec transform-set MANUAL-TS esp-aes esp-sha-hmac', ['mode tunnel']);
  // A manual SA to a peer without IKE: the keys of both directions are in the config.
  const { inbound, outbound } = own.sessionKeys;
  add('crypto map MANUAL-MAP 10 ipsec-manual', [
    'set peer 198.51.100.9',
    `set session-key inbound esp 300 cipher ${inbound.cipher} authenticator ${inbound.authenticator}`,
    `set session-key outbound esp 301 cipher ${outbound.cipher} authenticator ${outbound.authenticator}`,
    'set transform-set MANUAL-TS',
    'match address 150',
  ]);
  add('ip ssh version 2');
  add(`ip tftp source-interface ${input.tftpSourceLoopback ? 'Loopback0' : mgmtInterface.ios}`);
  add(`tacacs-server host 192.0.2.49 key 7 ${t7('tacacs-legacy')}`);
  add('tacacs server TAC1', ['address ipv4 192.0.2.50', `key 7 ${t7('tacacs-key')}`]);
  add('tacacs server TAC2', ['address ipv4 192.0.2.54', `key ${own.tacacsKey}`]);
  add('radius server RAD1', [
    'address ipv4 192.0.2.51 auth-port 1812 acct-port 1813',
    `key 7 ${t7('radius-key')}`,
  ]);
  add('radius server RAD2', [
    'address ipv4 192.0.2.53 auth-port 1812 acct-port 1813',
    `key ${own.radiusKey}`,
  ]);
  add('aaa group server tacacs+ TACS', [`server-private 192.0.2.52 key 7 ${t7('private-key')}`]);
  add(`snmp-server community ${input.readCommunity} RO`);
  add(`snmp-server community ${input.writeCommunity} RW`);
  add(`snmp-server community ${own.numericCommunity} RO`);
  add(`snmp-server community ${own.keywordCommunity} RO`);
  if (input.v3User)
    add(
      `snmp-server user ${input.v3User.name} NETOPS v3 auth sha ${input.v3User.authKey} priv aes 128 ${input.v3User.privKey}`,
    );
  add('snmp-server location Lab rack 1');
  add('snmp-server contact noc@lab.example');
  add(`snmp-server host 192.0.2.60 version 2c ${input.readCommunity}`);
  // IOS prints its routing processes EIGRP first. Named mode nests two levels below the process.
  add('router eigrp LAB', [
    'address-family ipv4 unicast autonomous-system 100',
    ' af-interface default',
    `  authentication mode hmac-sha-256 ${own.eigrp}`,
    ' exit-af-interface',
    ' topology base',
    ' exit-af-topology',
    ' network 10.0.0.0',
    'exit-address-family',
  ]);
  add('router ospf 1', [
    'router-id 10.254.254.1',
    'passive-interface default',
    `area 0 authentication message-digest`,
  ]);
  add('router bgp 65001', [
    'bgp log-neighbor-changes',
    'neighbor 192.0.2.70 remote-as 65002',
    `neighbor 192.0.2.70 password 7 ${t7('bgp-pass')}`,
  ]);
}

function nxosSecrets(input: GeneratorInput, add: Add, seed: () => number): void {
  add(`hostname ${input.hostname}`);
  add('vdc switch id 1', [
    'limit-resource vlan minimum 16 maximum 4094',
    'limit-resource vrf minimum 2 maximum 4096',
  ]);
  add('feature tacacs+');
  add('feature interface-vlan');
  add('feature lacp');
  // TrustSec (`cts manual` on an uplink) needs both.
  add('feature dot1x');
  add('feature cts');
  add(
    `username ${input.username} password 5 ${hashSecret(input.password, '$5$', seed())}  role network-admin`,
  );
  add(`username operator password 5 ${hashSecret(input.password, '$5$', seed())}  role network-operator`);
  add('ip domain-lookup');
  add(`tacacs-server key 7 "${encodeType7('tacacs-key', seed())}"`);
  add(`tacacs-server host 192.0.2.50 key 7 "${encodeType7('tacacs-host', seed())}"`);
  add(`radius-server host 192.0.2.51 key 7 "${encodeType7('radius-key', seed())}" authentication accounting`);
  add('aaa group server tacacs+ TACS', ['server 192.0.2.50', 'use-vrf management']);
  if (input.v3User)
    add(
      `snmp-server user ${input.v3User.name} network-admin auth sha ${input.v3User.authKey} priv aes-128 ${input.v3User.privKey}`,
    );
  add(`snmp-server community ${input.readCommunity} group network-operator`);
  add(`snmp-server community ${input.writeCommunity} group network-admin`);
  add(`snmp-server community ${input.own.numericCommunity} group network-operator`);
  add(`snmp-server community ${input.own.keywordCommunity} group network-operator`);
  add('snmp-server location Lab rack 2');
  add('snmp-server contact noc@lab.example');
  add(`snmp-server host 192.0.2.60 traps version 2c ${input.readCommunity}`);
  add(`ntp authentication-key 3 md5 ${input.own.ntpKey} 7`);
  add('ntp trusted-key 3');
  add('ntp authenticate');
  add('ntp server 192.0.2.40 key 3 use-vrf management');
  add(`ip tftp source-interface ${input.tftpSourceLoopback ? 'loopback0' : 'mgmt0'}`);
  add('vrf context management', ['ip route 0.0.0.0/0 192.0.2.1']);
  add('key chain OSPF-KEYS', ['key 1', `  key-string 7 ${encodeType7('chain-key', seed())}`]);
}

function interfaces(input: GeneratorInput, add: Add): void {
  const name = input.platform === 'ios' ? 'Loopback0' : 'loopback0';
  const mask = input.platform === 'ios' ? (a: string) => `${a} 255.255.255.255` : (a: string) => `${a}/32`;
  add(`interface ${name}`, [
    `ip address ${mask(input.loopback.ipv4)}`,
    `ipv6 address ${input.loopback.ipv6}/128`,
  ]);
  const mgmt = mgmtInterface[input.platform];
  const mgmtMask = input.platform === 'ios' ? `${input.mgmt.ipv4} 255.255.255.0` : `${input.mgmt.ipv4}/24`;
  const vrf = input.platform === 'ios' ? [] : ['vrf member management'];
  add(`interface ${mgmt}`, [
    'description management',
    ...vrf,
    `ip address ${mgmtMask}`,
    `ipv6 address ${input.mgmt.ipv6}/64`,
  ]);
}

function filler(input: GeneratorInput, add: Add, r: Random, n: number): void {
  const kind = n % 4;
  const ios = input.platform === 'ios';
  if (kind === 0) {
    const name = ios ? `GigabitEthernet0/${1 + Math.floor(n / 4)}` : `Ethernet1/${1 + Math.floor(n / 4)}`;
    const v4 = `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
    const children = [`description uplink-${n} to core-${r.int(1, 99)} port ${r.int(1, 48)}`];
    children.push(ios ? `ip address ${v4} 255.255.255.252` : `ip address ${v4}/30`);
    // The first uplink is link-encrypted with a manual TrustSec key, in a sub-block of the interface
    // (indented one level further); NX-OS spells `modelist`.
    const sap = ios
      ? ` sap pmk ${input.own.sapPmk} mode-list gcm-encrypt`
      : `  sap pmk ${input.own.sapPmk} modelist gcm-encrypt`;
    const cts = n === 0 ? ['cts manual', sap] : [];
    if (ios)
      children.push(
        `ip ospf message-digest-key 1 md5 7 ${encodeType7(`ospf${n}`, n)}`,
        'duplex auto',
        'speed auto',
      );
    else children.push(...cts, 'no shutdown', 'mtu 9216');
    if (ios && n % 8 === 0)
      children.push(
        `standby 1 ip 10.99.${n % 256}.1`,
        `standby 1 authentication md5 key-string 7 ${encodeType7(`hsrp${n}`, n)}`,
      );
    if (ios) children.push(...cts);
    add(`interface ${name}`, children);
  } else if (kind === 1) {
    const acl = `ACL-${n}`;
    const entries = Array.from({ length: 8 }, (_, i) => {
      const net = `10.${input.policy.int(0, 255)}.${input.policy.int(0, 255)}.0`;
      return ios ? `permit ip ${net} 0.0.0.255 any` : `${(i + 1) * 10} permit ip ${net}/24 any`;
    });
    add(`ip access-list ${ios ? 'extended ' : ''}${acl}`, entries);
  } else if (kind === 2) {
    add(`route-map RM-${n} permit 10`, [
      `match ip address ACL-${n - 1}`,
      `set local-preference ${input.policy.int(100, 300)}`,
    ]);
  } else {
    add(
      ios
        ? `ip route 10.${n % 256}.${r.int(0, 255)}.0 255.255.255.0 192.0.2.${r.int(1, 254)}`
        : `ip route 10.${n % 256}.${r.int(0, 255)}.0/24 192.0.2.${r.int(1, 254)}`,
    );
  }
}

function iosTail(input: GeneratorInput, add: Add): void {
  const { own, hostname } = input;
  // The peers LDP authenticates with the option's password, and the manual SA's traffic.
  add('access-list 10 permit 10.254.254.0 0.0.0.255');
  add(`access-list 150 permit ip host ${input.loopback.ipv4} 198.51.100.0 0.0.0.255`);
  add(`mpls ldp password option 1 for 10 ${own.ldpOption}`);
  add(`mpls ldp password fallback ${own.ldpFallback}`);
  add('control-plane');
  add('line con 0', ['exec-timeout 0 0', 'logging synchronous']);
  add('line vty 0 4', [
    'exec-timeout 30 0',
    `password 7 ${encodeType7('vty-pass', 3)}`,
    'transport input ssh telnet',
  ]);
  // After the lines, as IOS prints them (the renderer puts `ntp clock-period` first among them).
  add(`ntp authentication-key 3 md5 ${own.ntpKey} 7`);
  add('ntp authenticate');
  add('ntp trusted-key 3');
  add('ntp server 192.0.2.40 key 3');
  add('event manager applet UPLINK-DOWN', [
    'event syslog pattern "LINEPROTO-5-UPDOWN.*GigabitEthernet0/1.*down"',
    `action 1.0 mail server "eem:${own.mailPassword}@192.0.2.86" to "noc@lab.example" from "${hostname}@lab.example" subject "${hostname} uplink down" body "$_syslog_msg"`,
  ]);
}
