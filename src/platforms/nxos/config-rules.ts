/**
 * Cisco NX-OS running-config rules (device-reference.md §4.1, §4.2). NX-OS prints no trailer
 * (no `end`): truncation is caught by the size the copy dialog reports (first backups too), and
 * the shrink check against the last good copy stays as a second line.
 */
import type { ConfigRules } from '../../store/rules.js';
import {
  bannerBlock,
  commonFreeText,
  commonKeywords,
  commonMentions,
  ntpAuthenticationKey,
  sapPmk,
  urlPassword,
} from '../../store/common-rules.js';
import { pagerPrompt } from '../cisco/cli.js';
import { nxosErrorMarkers } from './error-markers.js';

export const nxosRules = {
  secrets: {
    keywords: commonKeywords,
    mentions: commonMentions,
    shapes: [
      {
        // `snmp-server host A [traps|informs] [version 1|2c] COMMUNITY [udp-port P]`; v3 names a user, and
        // `use-vrf`, `filter-vrf`, `source-interface` lines of the same host hold no community.
        name: 'snmp-server host community',
        match:
          /^snmp-server host \S+ (?:(?:traps|informs) )?(?:version (?:1|2c) )?(?!(?:traps|informs|version|use-vrf|filter-vrf|source-interface|enable|disable)(?: |$))(\S+)/,
      },
      { name: 'rmon event community', match: /^rmon event \d+ .*\btrap (\S+)/ },
      {
        name: 'hsrp/vrrp authentication text',
        under: /^\s*(?:hsrp|vrrp(?:v3)?) \d+/,
        match: /^\s+authentication text (\S+)/,
      },
      ntpAuthenticationKey,
      sapPmk,
      urlPassword,
    ],
    freeText: commonFreeText,
    textBlocks: [bannerBlock],
  },
  volatile: [/^!Time:/, /^!Running configuration last done at:/],
  // No trailer and no size in the config (device-reference.md §4.2); the copy progress ends with
  // the KB sent (§4.3: `[#####]   4.50KB`), two decimals, KB read at its smallest (1000 bytes).
  sizeAnnouncements: [{ source: 'copy-dialog', pattern: /(\d+(?:\.\d+)?)KB\b/, unit: 1000 }],
  errorMarkers: [...nxosErrorMarkers, pagerPrompt],
} satisfies ConfigRules;
