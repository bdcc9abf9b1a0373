/**
 * What every IOS release writes alike in its running-config: the frame of `show running-config`
 * (device-reference.md §1.4) and unencrypted passwords that run to the end of the line (§1.5).
 */
import type { SizeAnnouncement } from '../../store/completeness.js';
import type { SecretRule } from '../../store/rules.js';

/** The header lines around the config, dropped before storing. */
export const iosFrameLines: readonly RegExp[] = [
  /^Building configuration\.\.\.$/,
  /^Current configuration : \d+ bytes$/,
  /^! Last configuration change at /,
  /^! NVRAM config last updated at /,
];

/** The size the header states and the size the copy dialog reports. */
export const iosSizeAnnouncements: readonly SizeAnnouncement[] = [
  { source: 'config-header', pattern: /^Current configuration : (\d+) bytes\r?$/ },
  { source: 'copy-dialog', pattern: /^(\d+) bytes copied in /m },
];

/** IOS takes the rest of the line as the password (spaces included) when it is not encrypted. */
export const iosLinePasswords: readonly SecretRule[] = [
  { name: 'username password/secret', match: /^username \S+ .*?\b(?:password|secret) (?:\d )?(.+)$/ },
  { name: 'enable password/secret', match: /^enable (?:password|secret) (?:level \d+ )?(?:\d )?(.+)$/ },
  { name: 'indented password/secret', match: /^\s+(?:password|secret) (?:\d )?(.+)$/ },
];
