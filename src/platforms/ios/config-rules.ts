/**
 * Cisco IOS / IOS-XE running-config rules (device-reference.md §1.4, §1.5, §1.8).
 */
import type { ConfigRules } from '../../store/rules.js';
import {
  bannerBlock,
  commonFreeText,
  commonKeywords,
  commonMentions,
  neighborPassword,
  urlPassword,
} from '../../store/common-rules.js';
import { pagerPrompt } from '../cisco/cli.js';
import { iosFrameLines, iosLinePasswords, iosSizeAnnouncements } from '../cisco/ios-config.js';
import { iosErrorMarkers } from './error-markers.js';

export const iosRules = {
  secrets: {
    keywords: commonKeywords,
    mentions: commonMentions,
    shapes: [
      {
        // `snmp-server host A [vrf V] [informs|traps] [version 1|2c|3 LEVEL] NAME ...`: NAME is the community
        // for v1/v2c and the user name for v3 (not secret); the keywords before it are never the value.
        name: 'snmp-server host community',
        match:
          /^snmp-server host \S+(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c))? (?!(?:vrf|informs|traps|version) )(\S+)/,
      },
      ...iosLinePasswords,
      neighborPassword,
      {
        // Plain (`authentication K`, `authentication text K`); `md5 key-string K` is a keyword, `md5 key-chain NAME` stays.
        name: 'standby/vrrp/glbp authentication',
        match: /^\s+(?:standby|vrrp|glbp) (?:\d+ )?authentication (?:text )?(?!md5 )(\S+)/,
      },
      { name: 'ip nhrp authentication', match: /^\s+ip nhrp authentication (\S+)/ },
      { name: 'ip msdp password peer', match: /^ip msdp (?:vrf \S+ )?password peer \S+ (?:\d )?(\S+)/ },
      urlPassword,
    ],
    freeText: commonFreeText,
    textBlocks: [bannerBlock],
  },
  volatile: [
    ...iosFrameLines,
    /^Using \d+ out of \d+ bytes/,
    /^! No configuration change since last restart/,
    /^ntp clock-period /,
    // `exec prompt timestamp` puts these above every show output.
    /^Load for five secs: /,
    /^Time source is /,
  ],
  endMarker: /^end$/,
  // device-reference.md §1.4 (`show running-config` header) and §2.1 (`copy ... tftp:` dialog).
  sizeAnnouncements: iosSizeAnnouncements,
  errorMarkers: [...iosErrorMarkers, pagerPrompt],
} satisfies ConfigRules;
