/** Cisco IOS / IOS-XE (device-reference §1-§3). */
import { iosRules } from './config-rules.js';
import { iosErrorMarkers } from './error-markers.js';
import { iosSysDescr } from './sysdescr.js';
import { iosCliFacts } from './show-parsers.js';
import { ciscoLogin, execEnableAndConfiguration } from '../cisco/cli.js';
import { ciscoBootLines } from '../cisco/boot-lines.js';
import { interfaceCutOffs } from '../destructive.js';
import { tftpUrl, type PlatformSpec } from '../spec.js';
import { iosStartupConfig } from './startup-config.js';

/** `Destination filename [startup-config]?`: RETURN takes the default; `shown` is it, for plans. */
const anyDefault = (question: string, shown?: string) => ({
  question: new RegExp(String.raw`${question} \[[^\]]*\]\?\s*$`),
  answer: '',
  optional: true,
  ...(shown === undefined ? {} : { shows: `${question} [${shown}]?` }),
});

/** `[confirm]`: a bare CR goes ahead (§3). */
const confirmed = { question: /\[confirm\]\s*$/, answer: '', optional: true };
const notSaved = { question: /Save\? \[yes\/no\]:\s*$/, answer: 'no', optional: true };

export const ios = {
  name: 'ios',
  privileges: execEnableAndConfiguration,
  defaultPrivilege: 'privilege-exec',
  configPrivilege: 'configuration',
  sessionSetup: ['terminal length 0', 'terminal width 511'],
  errorMarkers: iosErrorMarkers,
  login: ciscoLogin,
  runningConfig: 'show running-config',
  startupConfig: 'show startup-config',
  save: {
    command: 'copy running-config startup-config',
    steps: [anyDefault('Destination filename', 'startup-config')],
  },
  erase: { command: 'write erase', steps: [{ question: /\[confirm\]\s*$/, answer: '' }] },
  reload: {
    command: 'reload',
    steps: [
      {
        question: /Save\? \[yes\/no\]:\s*$/,
        answer: 'no',
        optional: true,
        shows: 'System configuration has been modified. Save? [yes/no]:',
      },
      {
        question: /Proceed with reload\? \[confirm\]\s*$/,
        answer: '',
        shows: 'Proceed with reload? [confirm]',
      },
    ],
  },
  copyToTftp: (to) => ({
    command: `copy running-config ${tftpUrl(to)}`,
    steps: [anyDefault('Address or name of remote host'), anyDefault('Destination filename')],
  }),
  copyFromTftp: (from, destination) => ({
    command: `copy ${tftpUrl(from)} ${destination}`,
    steps: [
      anyDefault('Address or name of remote host', from.server),
      anyDefault('Source filename', from.file),
      anyDefault('Destination filename', destination),
    ],
  }),
  bootDialogs: [
    { question: /initial configuration dialog\? \[yes\/no\]:\s*$/, answer: 'no' },
    { question: /terminate autoinstall\? \[yes\]:\s*$/, answer: 'yes' },
    { question: /Press RETURN to get started!?\s*$/, answer: '' },
  ],
  destructiveCommands: [
    { pattern: /^wr(ite)?\s+er(ase)?$/i, effect: 'erases the startup-config', steps: [confirmed] },
    {
      pattern: /^erase\s/i,
      effect: 'erases a file system or the startup-config',
      steps: [confirmed, confirmed],
    },
    { pattern: /^format\s/i, effect: 'formats a file system', steps: [confirmed, confirmed] },
    { pattern: /^del(ete)?\s/i, effect: 'deletes files', steps: [anyDefault('Delete filename'), confirmed] },
    { pattern: /^reload$/i, effect: 'reloads the device', steps: [notSaved, confirmed], endsSession: true },
    { pattern: /^reload\s/i, effect: 'schedules or cancels a reload', steps: [notSaved, confirmed] },
    {
      pattern: /^copy\s+\S+\s+(nvram:)?startup-config\b/i,
      effect: 'overwrites the startup-config',
      steps: [
        anyDefault('Address or name of remote host'),
        anyDefault('Source filename'),
        anyDefault('Destination filename'),
        confirmed,
      ],
    },
    {
      pattern: /^configure\s+replace\s/i,
      effect: 'replaces the running-config',
      steps: [{ question: /proceed\. ?\? \[no\]:\s*$/, answer: 'Y', optional: true }],
    },
    {
      pattern: /^clear\s/i,
      effect: 'clears live state (sessions, neighbours, counters)',
      steps: [confirmed],
    },
  ],
  destructiveConfig: [...interfaceCutOffs, ...ciscoBootLines],
  questions: {
    asks: [/\[confirm\]\s*$/, /\[yes\/no\]:?\s*$/i, /\]\?\s*$/, /\? ?\[no\]:\s*$/, /\[y\/n\]:?\s*$/i],
    refuse: '\x03',
  },
  sysDescr: iosSysDescr,
  cliFacts: iosCliFacts,
  snmpConfigCopy: true,
  configRules: iosRules,
  startupConfigWorkflow: iosStartupConfig,
} satisfies PlatformSpec;
