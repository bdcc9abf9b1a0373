/** FRRouting's vtysh as a login shell (behind OpenSSH or telnetd): lands in `#`, no erase/reload/TFTP. */
import { frrRules } from './config-rules.js';
import { ciscoLogin, enableAndConfiguration } from '../common.js';
import { interfaceCutOffs } from '../destructive.js';
import type { PlatformSpec } from '../spec.js';

export const frr = {
  name: 'frr',
  privileges: enableAndConfiguration,
  defaultPrivilege: 'privilege-exec',
  configPrivilege: 'configuration',
  sessionSetup: ['terminal length 0'],
  errorMarkers: [
    /^% Unknown command/,
    /^% Command incomplete/,
    /^% Ambiguous command/,
    /^% There is no matched command/,
    /^% Configuration failed/,
    /^% Malformed/,
  ],
  login: ciscoLogin,
  runningConfig: 'show running-config',
  startupConfig: 'show startup-config',
  save: { command: 'write memory', steps: [] },
  bootDialogs: [],
  destructiveCommands: [
    { pattern: /^clear\s/i, effect: 'clears live state (BGP sessions, routes)', steps: [] },
  ],
  destructiveConfig: interfaceCutOffs,
  // vtysh asks nothing; a question would be another program's.
  questions: { asks: [], refuse: '\x03' },
  configRules: frrRules,
} satisfies PlatformSpec;
