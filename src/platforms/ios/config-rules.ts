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
  ntpAuthenticationKey,
  sapPmk,
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
      {
        // LDP MD5 for the peers an ACL permits, and the fallback: `... key-chain K` names a key chain.
        name: 'mpls ldp password option/fallback',
        match: /^mpls ldp (?:vrf \S+ )?password (?:fallback|option \d+ for \S+) (?!key-chain )(?:\d )?(.+)$/,
      },
      {
        // EIGRP named mode: the running-config prints the password after the algorithm with no type digit.
        name: 'eigrp authentication mode hmac-sha-256',
        match: /^\s+authentication mode hmac-sha-256 (?:\d )?(.+)$/,
      },
      {
        // The key stands before the peer: a number (`key 12345 address A`) would read as a key id.
        name: 'crypto isakmp key',
        match: /^crypto isakmp key (?:\d )?(\S+) (?:address|hostname) /,
      },
      {
        // Manual IPsec SAs (`crypto map M N ipsec-manual`): hex keys after the direction, protocol and SPI.
        name: 'crypto map set session-key',
        match:
          /^\s+set session-key (?:inbound|outbound) (?:ah \d+ (\S+)|esp \d+(?: cipher (\S+))?(?: authenticator (\S+))?)/,
      },
      {
        // The same `key 12345` opens a key of a key chain, where the number is an id: the block tells them apart.
        name: 'radius/tacacs server key',
        under: /^(?:radius|tacacs) server /,
        match: /^\s+key (?:\d )?(\S+)/,
      },
      {
        // EEM's mail server is `user:password@host` without a scheme; anchored, not a second URL form:
        // an unanchored alternative is tried at every position of every line.
        name: 'EEM mail server user:password@',
        match:
          /^(?:event manager environment _email_server |\s+action \S+ mail server "?)[^\s/:@"]*:([^\s/"]*)@/,
      },
      ntpAuthenticationKey,
      sapPmk,
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
