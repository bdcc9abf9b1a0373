/** OS, version and image read with the platforms' patterns from the sysDescr samples of device-reference.md §7.2. */
import { describe, expect, it } from 'vitest';
import { sysDescrPatterns } from '../../src/platforms/registry.js';
import { matchSysDescr } from '../../src/snmp/sysdescr.js';

describe("matchSysDescr with every platform's patterns", () => {
  it.each([
    [
      'Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.2(4)M7, RELEASE SOFTWARE (fc2)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2014 by Cisco Systems, Inc.',
      { name: 'ios', version: '15.2(4)M7', image: 'C2900-UNIVERSALK9-M', platform: 'C2900' },
    ],
    [
      'Cisco IOS Software [Fuji], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.8.1a, RELEASE SOFTWARE (fc1)',
      { name: 'ios-xe', version: '16.8.1a', image: 'CAT9K_IOSXE', platform: 'Catalyst L3 Switch' },
    ],
    [
      'Cisco NX-OS(tm) n7000, Software (n7000-s2-dk9), Version 6.2(8b), RELEASE SOFTWARE Copyright (c) 2002-2013 by Cisco Systems, Inc. Compiled 5/15/2014 20:00:00',
      { name: 'nx-os', version: '6.2(8b)', image: 'n7000-s2-dk9', platform: 'n7000' },
    ],
    [
      'Cisco NX-OS(tm) Nexus9000 C93180YC-EX chassis, Software (NXOS 32-bit), Version 9.3(9), RELEASE SOFTWARE Copyright (c) 2002-2022 by Cisco Systems, Inc. Compiled 2/4/2022 7:00:00',
      { name: 'nx-os', version: '9.3(9)', image: 'NXOS 32-bit', platform: 'Nexus9000 C93180YC-EX' },
    ],
    [
      'Cisco Internetwork Operating System Software \r\nIOS (tm) C2600 Software (C2600-I-M), Version 12.2(8)T, RELEASE SOFTWARE (fc2)',
      { name: 'ios', version: '12.2(8)T', image: 'C2600-I-M', platform: 'C2600' },
    ],
    [
      'Linux frr1 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64',
      { name: 'linux', version: '6.1.0-18-amd64', platform: 'x86_64' },
    ],
    ['HP ProCurve J9280A Switch 2510G-48', { name: 'unknown' }],
  ])('%s', (descr, expected) => {
    for (const first of [undefined, 'ios', 'nxos', 'frr']) {
      expect(matchSysDescr(descr, sysDescrPatterns(first))).toEqual(expected);
    }
  });
});

describe('sysDescrPatterns', () => {
  it("puts the host's own platform's patterns first", () => {
    expect(sysDescrPatterns('frr')[0]?.os).toBe('linux');
    expect(sysDescrPatterns('nxos')[0]?.os).toBe('nx-os');
    expect(sysDescrPatterns().map((p) => p.os)).toEqual(['ios-xe', 'ios-xe', 'ios', 'ios', 'nx-os', 'linux']);
  });
});
