/**
 * FRRouting (vtysh `show running-config`) rules. vtysh frames the config like IOS: a
 * `Building configuration...` / `Current configuration:` header and a closing `end`.
 */
import type { ConfigRules } from '../rules.js';
import {
  isisPassword,
  keyString,
  neighborPassword,
  ospfAuthenticationKey,
  ospfMessageDigestKey,
} from './common.js';

export const frrRules = {
  secrets: [
    { name: 'password', match: /^password (?:\d+ )?(\S+)/ },
    { name: 'enable password', match: /^enable password (?:\d+ )?(\S+)/ },
    neighborPassword,
    ospfAuthenticationKey,
    ospfMessageDigestKey,
    {
      name: 'ipv6 ospf6 authentication key',
      match: /^\s+ipv6 ospf6 authentication key-id \d+ hash-algo \S+ key (\S+)/,
    },
    isisPassword,
    { name: 'isis password', match: /^\s+isis password (?:clear |md5 )?(\S+)/ },
    { name: 'ip rip authentication string', match: /^\s+ip rip authentication string (\S+)/ },
    keyString,
  ],
  volatile: [/^Building configuration\.\.\.$/, /^Current configuration:$/],
  endMarker: /^end$/,
  errorMarkers: [/^% (?:Unknown command|Command incomplete|Ambiguous command)/],
} satisfies ConfigRules;
