/** `registerPlatform`: one call adds a platform; a clash or a spec whose parts do not fit is refused with what is wrong. */
import { describe, expect, it } from 'vitest';
import { inventoryVocabulary } from '../../src/cli/load.js';
import { isNetopsError } from '../../src/core/errors.js';
import { checkPlatformSpec } from '../../src/platforms/check-spec.js';
import { ios } from '../../src/platforms/ios/index.js';
import { platformNamed, platforms, registerPlatform } from '../../src/platforms/registry.js';
import type { PlatformSpec } from '../../src/platforms/spec.js';

const refusal = (spec: PlatformSpec) => {
  try {
    registerPlatform(spec);
  } catch (error) {
    if (isNetopsError(error, 'CONFIG_INVALID')) return error.message;
    throw error;
  }
  throw new Error(`${spec.name} was registered`);
};

describe('registerPlatform', () => {
  it('finds nothing wrong with the built-in platforms', () => {
    for (const spec of Object.values(platforms)) expect(() => checkPlatformSpec(spec)).not.toThrow();
  });

  it('adds a platform the inventory and the tasks then know by name', async () => {
    const lab = registerPlatform({ ...ios, name: 'ios-lab' });
    expect(platformNamed('ios-lab')).toBe(lab);
    expect((await inventoryVocabulary()).platforms).toEqual(['ios', 'nxos', 'frr', 'ios-lab']);
    // The same spec again is a no-op, so a module may register on import.
    expect(registerPlatform(lab)).toBe(lab);
  });

  it('refuses a name already taken by another spec', () => {
    expect(refusal({ ...ios })).toBe('a platform named "ios" is already registered');
  });

  it('refuses a spec whose privilege levels, name or error markers do not fit, naming each problem', () => {
    const message = refusal({
      ...ios,
      name: 'Bad Name',
      defaultPrivilege: 'enable',
      privileges: [...ios.privileges, { name: 'shell', prompt: /\$ $/, parent: 'root' }],
      errorMarkers: [],
    });
    expect(message).toContain('platform "Bad Name" cannot be registered');
    expect(message).toContain('the name must match');
    expect(message).toContain('privilege level "shell" has an unknown parent "root"');
    expect(message).toContain('privilege level "shell" says no command that enters it from "root"');
    expect(message).toContain('defaultPrivilege "enable" is not one of its privilege levels');
    expect(message).toContain('errorMarkers is empty');
    expect(platforms['Bad Name']).toBeUndefined();
  });
});
