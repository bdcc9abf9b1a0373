/** FRRouting's vtysh as a login shell (behind OpenSSH or telnetd): lands in `#`, no erase/reload/TFTP. */
import { frrRules } from './config-rules.js';
import { frrErrorMarkers } from './error-markers.js';
import { frrSysDescr } from './sysdescr.js';
import { ciscoLogin, enableAndConfiguration } from '../cisco/cli.js';
import { interfaceCutOffs } from '../destructive.js';
import type { PlatformSpec } from '../spec.js';

export const frr = {
  name: 'frr',
  privileges: enableAndConfiguration,
  defaultPrivilege: 'privilege-exec',
  configPrivilege: 'configuration',
  sessionSetup: ['terminal length 0'],
  errorMarkers: frrErrorMarkers,
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
  sysDescr: frrSysDescr,
  configRules: frrRules,
} satisfies PlatformSpec;
