/**
 * Cisco IOS / IOS-XE running-config rules (device-reference.md §1.4, §1.5, §1.8).
 */
import type { ConfigRules } from '../rules.js';
import {
  aaaServerKey,
  isisPassword,
  keyString,
  neighborPassword,
  ntpAuthenticationKey,
  ospfAuthenticationKey,
  ospfMessageDigestKey,
  snmpCommunity,
  snmpUserKeys,
} from './common.js';

export const iosRules = {
  secrets: [
    snmpCommunity,
    {
      // `snmp-server host A [vrf V] [informs|traps] [version 1|2c] COMMUNITY ...`; a v3 user name is not secret.
      name: 'snmp-server host community',
      match: /^snmp-server host \S+(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c))? (?!version )(\S+)/,
    },
    snmpUserKeys,
    { name: 'username password/secret', match: /^username \S+ .*?\b(?:password|secret) (?:\d+ )?(.+)$/ },
    { name: 'enable password/secret', match: /^enable (?:password|secret) (?:level \d+ )?(?:\d+ )?(.+)$/ },
    { name: 'indented password/secret', match: /^\s+(?:password|secret) (?:\d+ )?(.+)$/ },
    { name: 'type 7 key', match: / key 7 ([0-9A-Fa-f]+)\b/ },
    aaaServerKey,
    {
      name: 'key in a tacacs/radius server block',
      under: /^(?:tacacs|radius) server /,
      match: /^\s+(?:pac )?key (?:\d+ )?(\S+)/,
    },
    { name: 'server-private key', match: /^\s*server-private \S+ (?:.* )?key (?:\d+ )?(\S+)/ },
    { name: 'crypto isakmp key', match: /^crypto isakmp key (?:\d+ )?(\S+) (?:address|hostname) / },
    ospfMessageDigestKey,
    ospfAuthenticationKey,
    neighborPassword,
    {
      // Plain (`authentication K`, `authentication text K`) or `md5 key-string [7] K [timeout N]`;
      // `md5 key-chain NAME` names a key chain and stays.
      name: 'standby/vrrp authentication',
      match: /^\s+(?:standby|vrrp) (?:\d+ )?authentication (?:text |md5 key-string (?:\d+ )?)?(?!md5 )(\S+)/,
    },
    keyString,
    {
      name: 'ppp chap/pap password',
      match: /^\s+ppp (?:chap|pap) (?:sent-username \S+ )?password (?:\d+ )?(\S+)/,
    },
    { name: 'wpa-psk', match: /^\s+wpa-psk (?:ascii|hex) (?:\d+ )?(\S+)/ },
    { name: 'server-key', match: /\bserver-key (?:\d+ )?(\S+)/ },
    // Keyrings (`pre-shared-key address A [MASK] key K`), IKEv2 (`pre-shared-key [local|remote] [6] K`).
    { name: 'pre-shared-key', match: /^\s+pre-shared-key (?:.* key |local |remote )?(?:\d+ )?(\S+)/ },
    isisPassword,
    ntpAuthenticationKey,
  ],
  volatile: [
    /^Building configuration\.\.\.$/,
    /^Current configuration : \d+ bytes$/,
    /^Using \d+ out of \d+ bytes/,
    /^! Last configuration change at /,
    /^! NVRAM config last updated at /,
    /^! No configuration change since last restart/,
    /^ntp clock-period /,
    // `exec prompt timestamp` puts these above every show output.
    /^Load for five secs: /,
    /^Time source is /,
  ],
  endMarker: /^end$/,
  errorMarkers: [
    /^% (?:Invalid input detected|Incomplete command|Ambiguous command|Unknown command)/,
    /^Command authorization failed/,
    // A pager prompt inside the text means paging was on and the capture is mangled.
    /--More--/,
  ],
} satisfies ConfigRules;
