/**
 * Cisco NX-OS running-config rules (device-reference.md §4.1, §4.2). NX-OS prints no trailer
 * (no `end`), so truncation is caught by the shrink check against the last good copy.
 */
import type { ConfigRules } from '../rules.js';
import {
  aaaServerKey,
  keyString,
  ntpAuthenticationKey,
  ospfAuthenticationKey,
  ospfMessageDigestKey,
  snmpCommunity,
  snmpUserKeys,
} from './common.js';

export const nxosRules = {
  secrets: [
    snmpCommunity,
    snmpUserKeys,
    {
      name: 'snmp-server host community',
      match: /^snmp-server host \S+ (?:traps|informs) version (?:1|2c) (\S+)/,
    },
    { name: 'username password', match: /^username \S+ password (?:\d+ )?(\S+)/ },
    aaaServerKey,
    { name: 'rmon event community', match: /^rmon event \d+ .*\btrap (\S+)/ },
    // BGP: `neighbor A` / `password 3 KEY` one level down.
    { name: 'indented password', match: /^\s+password (?:\d+ )?(\S+)/ },
    ospfAuthenticationKey,
    ospfMessageDigestKey,
    keyString,
    {
      name: 'hsrp/vrrp authentication',
      under: /^\s*(?:hsrp|vrrp) \d+/,
      match: /^\s+authentication (?:text |md5 key-string (?:\d+ )?)(\S+)/,
    },
    ntpAuthenticationKey,
  ],
  volatile: [/^!Time:/, /^!Running configuration last done at:/],
  errorMarkers: [/^% Invalid .* at '\^' marker/, /^% Incomplete command at '\^' marker/, /--More--/],
} satisfies ConfigRules;
