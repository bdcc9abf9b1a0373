/**
 * FRRouting (vtysh `show running-config`) rules. vtysh frames the config like IOS: a
 * `Building configuration...` / `Current configuration:` header and a closing `end`.
 */
import type { ConfigRules } from '../../store/rules.js';
import {
  bannerBlock,
  commonFreeText,
  commonKeywords,
  commonMentions,
  neighborPassword,
} from '../../store/common-rules.js';
import { frrErrorMarkers } from './error-markers.js';

export const frrRules = {
  secrets: {
    keywords: commonKeywords,
    mentions: commonMentions,
    shapes: [
      neighborPassword,
      { name: 'ip rip authentication string', match: /^\s+ip rip authentication string (\S+)/ },
    ],
    freeText: commonFreeText,
    textBlocks: [bannerBlock],
  },
  volatile: [/^Building configuration\.\.\.$/, /^Current configuration:$/],
  endMarker: /^end$/,
  errorMarkers: frrErrorMarkers,
} satisfies ConfigRules;
