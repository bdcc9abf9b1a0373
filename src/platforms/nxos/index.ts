/** Cisco NX-OS, Nexus 7000/9000 (device-reference §4). Admin users land in `#`: no `>` level. */
import { nxosRules } from './config-rules.js';
import { nxosErrorMarkers } from './error-markers.js';
import { nxosSysDescr } from './sysdescr.js';
import { nxosCliFacts } from './show-parsers.js';
import { ciscoLogin, enableAndConfiguration } from '../cisco/cli.js';
import { ciscoBootLines } from '../cisco/boot-lines.js';
import { interfaceCutOffs } from '../destructive.js';
import { tftpUrl, type PlatformSpec, type TftpLocation } from '../spec.js';
import { nxosStartupConfig } from './startup-config.js';

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
  errorMarkers: nxosErrorMarkers,
  login: ciscoLogin,
  runningConfig: 'show running-config',
  startupConfig: 'show startup-config',
  save: { command: 'copy running-config startup-config', steps: [] },
  erase: {
    command: 'write erase',
    steps: [{ question: yesNo, answer: 'y', shows: 'Do you wish to proceed anyway? (y/n)  [n]' }],
  },
  // The unsaved-config warning before it is unverified (§4.5); both end in the same question.
  reload: {
    command: 'reload',
    steps: [{ question: yesNo, answer: 'y', shows: 'This command will reboot the system. (y/n)?  [n]' }],
  },
  copyToTftp: (to) => ({
    command: `copy running-config ${tftpUrl(to)} vrf ${vrfOf(to)}`,
    steps: [{ question: /Enter vrf.*:\s*$/, answer: vrfOf(to), optional: true }],
  }),
  copyFromTftp: (from, destination) => ({
    command: `copy ${tftpUrl(from)} ${destination} vrf ${vrfOf(from)}`,
    steps: [
      {
        question: /Enter vrf.*:\s*$/,
        answer: vrfOf(from),
        optional: true,
        shows: "Enter vrf (If no input, current vrf 'default' is considered):",
      },
    ],
  }),
  bootDialogs: [
    {
      question: /Abort (Power On )?Auto Provisioning.*\(yes\/skip\/no\)\s*\[no\]:\s*$/,
      answer: 'yes',
      shows: 'Abort Power On Auto Provisioning [...] (yes/skip/no)[no]:',
    },
    {
      question: /Abort Auto Provisioning and continue with normal setup \?\(yes\/no\)\[n\]:\s*$/,
      answer: 'yes',
      shows: 'Abort Auto Provisioning and continue with normal setup ?(yes/no)[n]:',
    },
    {
      question: /enforce secure password standard \(yes\/no\)( \[y\])?:\s*$/,
      answer: 'no',
      shows: 'Do you want to enforce secure password standard (yes/no) [y]:',
    },
    {
      question: /(Enter|Confirm) the password for "admin":\s*$/,
      answer: '',
      secret: 'password',
      shows: ['Enter the password for "admin":', 'Confirm the password for "admin":'],
    },
    {
      question: /basic configuration dialog \(yes\/no\):\s*$/,
      answer: 'no',
      shows: 'Would you like to enter the basic configuration dialog (yes/no):',
    },
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
  sysDescr: nxosSysDescr,
  cliFacts: nxosCliFacts,
  snmpConfigCopy: true,
  configRules: nxosRules,
  startupConfigWorkflow: nxosStartupConfig,
} satisfies PlatformSpec;
