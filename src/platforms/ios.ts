/** Cisco IOS / IOS-XE (device-reference §1-§3). */
import { iosRules } from '../store/rules/ios.js';
import { ciscoLogin, configurationLevel, enablePrompt, execPrompt } from './common.js';
import { tftpUrl, type PlatformSpec } from './spec.js';

const anyDefault = (question: string) => ({
  question: new RegExp(String.raw`${question} \[[^\]]*\]\?\s*$`),
  answer: '',
  optional: true,
});

export const ios = {
  name: 'ios',
  privileges: [
    { name: 'exec', prompt: execPrompt },
    {
      name: 'privilege-exec',
      prompt: enablePrompt,
      parent: 'exec',
      escalate: 'enable',
      deescalate: 'disable',
      auth: { prompt: /^password:\s?$/i, secret: 'enable' },
    },
    configurationLevel,
  ],
  defaultPrivilege: 'privilege-exec',
  configPrivilege: 'configuration',
  sessionSetup: ['terminal length 0', 'terminal width 511'],
  errorMarkers: [
    /^% ?Invalid input detected/,
    /^% ?Incomplete command/,
    /^% ?Ambiguous command/,
    /^% ?Unknown command/,
    /^%Error /,
    /Command authorization failed/,
  ],
  login: ciscoLogin,
  runningConfig: 'show running-config',
  startupConfig: 'show startup-config',
  save: { command: 'copy running-config startup-config', steps: [anyDefault('Destination filename')] },
  erase: { command: 'write erase', steps: [{ question: /\[confirm\]\s*$/, answer: '' }] },
  reload: {
    command: 'reload',
    steps: [
      { question: /Save\? \[yes\/no\]:\s*$/, answer: 'no', optional: true },
      { question: /Proceed with reload\? \[confirm\]\s*$/, answer: '' },
    ],
  },
  copyToTftp: (to) => ({
    command: `copy running-config ${tftpUrl(to)}`,
    steps: [anyDefault('Address or name of remote host'), anyDefault('Destination filename')],
  }),
  copyFromTftp: (from, destination) => ({
    command: `copy ${tftpUrl(from)} ${destination}`,
    steps: [
      anyDefault('Address or name of remote host'),
      anyDefault('Source filename'),
      anyDefault('Destination filename'),
    ],
  }),
  bootDialogs: [
    { question: /initial configuration dialog\? \[yes\/no\]:\s*$/, answer: 'no' },
    { question: /terminate autoinstall\? \[yes\]:\s*$/, answer: 'yes' },
    { question: /Press RETURN to get started!?\s*$/, answer: '' },
  ],
  configRules: iosRules,
} satisfies PlatformSpec;
