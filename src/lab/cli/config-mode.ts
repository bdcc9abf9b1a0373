/**
 * `configure terminal`: a useful subset (hostname, interface, ip/ipv6 address, username, enable
 * secret, snmp-server, `ip tftp source-interface`, `no ...`), with other known top-level keywords
 * stored as typed. Secrets are stored the way each platform stores them (hashed or type 0).
 */
import { removeChild, removeTop, setChild, setTop, subModeOf } from '../device/config-tree.js';
import { hashSecret } from '../device/secrets.js';
import type { Session } from './context.js';
import { promptOf } from './prompt.js';

/** First words accepted in global configuration mode; anything else is invalid input. */
const globalWords = new Set(
  (
    'aaa access-list alias archive banner boot bfd callhome cdp class-map clock control-plane crypto default ' +
    'enable end event exit feature hostname interface ip ipv6 key license line lldp logging mpls no ntp object-group ' +
    'policy-map power radius radius-server redundancy role route-map router service snmp-server spanning-tree ' +
    'ssh switchname system tacacs tacacs-server track username version vdc vlan vrf errdisable copp rmon ' +
    'password-policy userpassphrase'
  ).split(' '),
);

/** Inside a sub-mode these words configure the section (`ip address`), not the device. */
const subCommandWords = new Set(['ip', 'ipv6', 'no', 'description', 'shutdown', 'vrf', 'key']);

const interfaceNames: readonly [RegExp, string, string][] = [
  [/^lo(?:opback)?(\d+)$/i, 'Loopback', 'loopback'],
  [/^g(?:i(?:gabitethernet)?)?(\d+\/\d+(?:\/\d+)?)$/i, 'GigabitEthernet', 'GigabitEthernet'],
  [/^e(?:th(?:ernet)?)?(\d+\/\d+)$/i, 'Ethernet', 'Ethernet'],
  [/^mgmt(\d+)$/i, 'mgmt', 'mgmt'],
  [/^vl(?:an)?(\d+)$/i, 'Vlan', 'Vlan'],
  [/^tu(?:nnel)?(\d+)$/i, 'Tunnel', 'Tunnel'],
  [/^po(?:rt-channel)?(\d+)$/i, 'Port-channel', 'port-channel'],
];

/** `int lo0` → `Loopback0` (IOS) / `loopback0` (NX-OS); undefined for an unknown type. */
export function interfaceName(text: string, platform: 'ios' | 'nxos'): string | undefined {
  for (const [pattern, ios, nxos] of interfaceNames) {
    const m = pattern.exec(text.replace(/\s+/g, ''));
    if (m) return `${platform === 'ios' ? ios : nxos}${m[1]}`;
  }
  return undefined;
}

/**
 * Where a top-level config line would be refused in configuration mode (the column of the bad
 * word), or undefined when it is accepted: the check `configure replace` applies to a file.
 */
export function refusedAt(line: string, platform: 'ios' | 'nxos'): number | undefined {
  const words = line.trim().split(/\s+/);
  const first = (words[0] ?? '').toLowerCase();
  // IOS writes these around the boot lines of every config it saves.
  if (/^boot-(start|end)-marker$/.test(first)) return undefined;
  if (!globalWords.has(first)) return line.indexOf(words[0] ?? '');
  if (first === 'interface' && !interfaceName(words.slice(1).join(''), platform))
    return line.indexOf(words[1] ?? '');
  return undefined;
}

function invalid(s: Session, column: number): Promise<void> {
  const marker =
    s.device.platform === 'ios'
      ? "% Invalid input detected at '^' marker."
      : "% Invalid command at '^' marker.";
  return s.term.print(`${' '.repeat(column + promptOf(s).length)}^\n${marker}\n\n`);
}

/** Stores secrets typed in clear the way the platform keeps them. */
function storedUserLine(s: Session, line: string): string {
  const salt = Math.floor(Math.random() * 1e9);
  if (s.device.platform === 'nxos') {
    return line
      .replace(
        / password (?!5 )(\S+)/,
        (_m, clear: string) => ` password 5 ${hashSecret(clear, '$5$', salt)} `,
      )
      .replace(/\s+$/, '');
  }
  return line
    .replace(/ secret (?![05] )(\S+)$/, (_m, clear: string) => ` secret 5 ${hashSecret(clear, '$1$', salt)}`)
    .replace(/ password (?![07] )(\S+)$/, ' password 0 $1');
}

/** Applies one line typed in configuration mode. */
export async function configLine(s: Session, raw: string): Promise<void> {
  const d = s.device;
  const line = raw.trim();
  if (line === '') return;
  const words = line.split(/\s+/);
  const first = (words[0] ?? '').toLowerCase();
  if (first === 'end' || line === '\x1a') {
    s.mode = { kind: 'exec' };
    return;
  }
  if (first === 'exit') {
    s.mode = s.mode.kind === 'sub' ? { kind: 'config' } : { kind: 'exec' };
    return;
  }
  if (s.mode.kind === 'sub' && (!globalWords.has(first) || subCommandWords.has(first))) {
    if (first === 'no') removeChild(s.mode.section, line.slice(3));
    else setChild(s.mode.section, line);
    d.configured(s.user);
    return;
  }
  if (!globalWords.has(first)) return invalid(s, line.indexOf(words[0] ?? ''));
  if (words.length === 1 && first !== 'control-plane' && first !== 'redundancy') {
    return s.term.print(
      d.platform === 'ios' ? '% Incomplete command.\n\n' : "% Incomplete command at '^' marker.\n",
    );
  }
  if (first === 'interface') {
    const name = interfaceName(words.slice(1).join(''), d.platform);
    if (!name) return invalid(s, line.indexOf(words[1] ?? ''));
    s.mode = { kind: 'sub', name: 'config-if', section: setTop(d.running, `interface ${name}`) };
    return;
  }
  if (first === 'no') {
    removeTop(d.running, line.slice(3));
    d.configured(s.user);
    s.mode = { kind: 'config' };
    return;
  }
  let stored = line;
  if (first === 'username') stored = storedUserLine(s, line);
  if (first === 'enable' && /^enable secret (?!5 )\S+$/.test(line))
    stored = `enable secret 5 ${hashSecret(words[2] ?? '', '$1$', Date.now())}`;
  if (first === 'switchname') stored = `hostname ${words[1]}`;
  const section = setTop(d.running, stored);
  const mode = subModeOf(stored);
  s.mode = mode ? { kind: 'sub', name: mode, section } : { kind: 'config' };
  d.configured(s.user);
}
