/** Cisco NX-OS, Nexus 7000/9000 (device-reference §4). Admin users land in `#`: no `>` level. */
import { nxosRules } from './config-rules.js';
import { ciscoLogin, enableAndConfiguration } from '../common.js';
import { ciscoBootLines, interfaceCutOffs } from '../destructive.js';
import { tftpUrl, type PlatformSpec, type TftpLocation } from '../spec.js';

const vrfOf = (at: TftpLocation) => at.vrf ?? 'management';
/** `(y/n)?  [n]` with its two spaces (§4.5). */
const yesNo = /\(y\/n\)\??\s*\[n\]\s*$/;
const proceed = { question: yesNo, answer: 'y', optional: true };

export const nxos = {
  name: 'nxos',
  privileges: enableAndConfiguration,
  defaultPrivilege: 'privilege-exec',
  configPrivilege: 'configuration',
  sessionSetup: ['terminal length 0', 'terminal width 511'],
  errorMarkers: [
    /^% Invalid (command|parameter detected|input detected)/,
    /^% Incomplete command/,
    /^% Ambiguous command/,
    /^% Permission denied/,
    /^Syntax error while parsing/,
    /TFTP (put|get) operation failed/,
    /^This command is deprecated\./,
  ],
  login: ciscoLogin,
  runningConfig: 'show running-config',
  startupConfig: 'show startup-config',
  save: { command: 'copy running-config startup-config', steps: [] },
  erase: { command: 'write erase', steps: [{ question: yesNo, answer: 'y' }] },
  // The unsaved-config warning before it is unverified (§4.5); both end in the same question.
  reload: { command: 'reload', steps: [{ question: yesNo, answer: 'y' }] },
  copyToTftp: (to) => ({
    command: `copy running-config ${tftpUrl(to)} vrf ${vrfOf(to)}`,
    steps: [{ question: /Enter vrf.*:\s*$/, answer: vrfOf(to), optional: true }],
  }),
  copyFromTftp: (from, destination) => ({
    command: `copy ${tftpUrl(from)} ${destination} vrf ${vrfOf(from)}`,
    steps: [{ question: /Enter vrf.*:\s*$/, answer: vrfOf(from), optional: true }],
  }),
  bootDialogs: [
    { question: /Abort (Power On )?Auto Provisioning.*\(yes\/skip\/no\)\s*\[no\]:\s*$/, answer: 'yes' },
    {
      question: /Abort Auto Provisioning and continue with normal setup \?\(yes\/no\)\[n\]:\s*$/,
      answer: 'yes',
    },
    { question: /enforce secure password standard \(yes\/no\)( \[y\])?:\s*$/, answer: 'no' },
    { question: /(Enter|Confirm) the password for "admin":\s*$/, answer: '', secret: 'password' },
    { question: /basic configuration dialog \(yes\/no\):\s*$/, answer: 'no' },
  ],
  destructiveCommands: [
    { pattern: /^write\s+erase\b/i, effect: 'erases the startup-config', steps: [proceed] },
    { pattern: /^reload$/i, effect: 'reboots the switch', steps: [proceed], endsSession: true },
    { pattern: /^reload\s/i, effect: 'reloads a module or the switch', steps: [proceed] },
    {
      pattern: /^delete\s/i,
      effect: 'deletes files',
      steps: [{ question: /\(yes\/no\/abort\)\s*\[y\]\s*$/, answer: 'y', optional: true }],
    },
    { pattern: /^format\s/i, effect: 'formats a file system', steps: [proceed] },
    { pattern: /^copy\s+\S+\s+startup-config\b/i, effect: 'overwrites the startup-config', steps: [proceed] },
    { pattern: /^configure\s+replace\s/i, effect: 'replaces the running-config', steps: [proceed] },
    { pattern: /^rollback\s/i, effect: 'replaces the running-config with a checkpoint', steps: [proceed] },
    { pattern: /^install\s/i, effect: 'installs software (may reload)', steps: [proceed] },
    { pattern: /^clear\s/i, effect: 'clears live state (sessions, neighbours, counters)', steps: [proceed] },
  ],
  destructiveConfig: [...interfaceCutOffs, ...ciscoBootLines],
  managementInterface: 'mgmt0',
  questions: {
    asks: [yesNo, /\((y\/n|yes\/no)(\/abort)?\)\??\s*\[[yn]\]\s*$/i, /\(yes\/no\)( \[[yn]\])?:\s*$/i],
    refuse: '\x03',
  },
  configRules: nxosRules,
} satisfies PlatformSpec;
