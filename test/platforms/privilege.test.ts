/** Privilege paths computed from the `parent` links, and prompt recognition per platform (device-reference §1.2, §4.1). */
import { describe, expect, it } from 'vitest';
import { ios } from '../../src/platforms/ios/index.js';
import { nxos } from '../../src/platforms/nxos/index.js';
import { levelOfPrompt, privilegePath } from '../../src/platforms/privilege.js';
import { tftpUrl } from '../../src/platforms/spec.js';

const commands = (from: string, to: string) =>
  privilegePath(ios, from, to).map((s) => (s.direction === 'down' ? s.level.escalate : s.level.deescalate));

describe('privilege levels', () => {
  it('walks IOS levels up and down the graph', () => {
    expect(commands('exec', 'configuration')).toEqual(['enable', 'configure terminal']);
    expect(commands('configuration', 'exec')).toEqual(['end', 'disable']);
    expect(commands('configuration', 'privilege-exec')).toEqual(['end']);
    expect(commands('privilege-exec', 'privilege-exec')).toEqual([]);
  });

  it('recognises prompts, sub-modes and NX-OS prompts with a trailing space', () => {
    expect(levelOfPrompt(ios, 'r1>')?.name).toBe('exec');
    expect(levelOfPrompt(ios, 'r1#')?.name).toBe('privilege-exec');
    expect(levelOfPrompt(ios, 'r1(config-if)#')?.name).toBe('configuration');
    expect(levelOfPrompt(nxos, 'switch(config-router)# ')?.name).toBe('configuration');
    expect(levelOfPrompt(nxos, 'switch# ')?.name).toBe('privilege-exec');
    expect(levelOfPrompt(ios, 'Building configuration...')).toBeUndefined();
    expect(levelOfPrompt(ios, 'other-box$ ')).toBeUndefined();
  });

  it('builds copy commands with bracketed IPv6 and the NX-OS vrf', () => {
    expect(tftpUrl({ server: '2001:db8::10', file: 'r1-confg' })).toBe('tftp://[2001:db8::10]/r1-confg');
    expect(ios.copyToTftp({ server: '192.0.2.10', file: 'r1-confg' }).command).toBe(
      'copy running-config tftp://192.0.2.10/r1-confg',
    );
    expect(nxos.copyToTftp({ server: '2001:db8::10', file: 'switch.cfg' }).command).toBe(
      'copy running-config tftp://[2001:db8::10]/switch.cfg vrf management',
    );
    expect(
      nxos.copyFromTftp({ server: '192.0.2.10', file: 'a.cfg', vrf: 'default' }, 'running-config').command,
    ).toBe('copy tftp://192.0.2.10/a.cfg running-config vrf default');
  });
});
