/**
 * The MAC that lets a backup skip the sanitizer changes with everything that shapes a stored copy,
 * the sanitizer's own code included: a fix to it must reach every host, even in a clone run from
 * git whose version never changes.
 */
import { describe, expect, it } from 'vitest';
import { iosRules } from '../../src/platforms/ios/config-rules.js';
import { noNoiseRules } from '../../src/store/noise-rules.js';
import { receivedMac, storeCodeDigest, type ConfigShape } from '../../src/store/received-mac.js';

const key = Buffer.alloc(32, 7);
const shape: ConfigShape = {
  platform: 'ios',
  rules: iosRules,
  noise: noNoiseRules,
  sanitize: true,
  placeholders: 'keyed',
  allowShrink: false,
  baseline: undefined,
};

describe('receivedMac', () => {
  it('differs when the sanitizer code differs, for the same text and settings', () => {
    const before = receivedMac(key, shape, 'hostname r1\n', 'code-a');
    expect(receivedMac(key, shape, 'hostname r1\n', 'code-a')).toEqual(before);
    const after = receivedMac(key, shape, 'hostname r1\n', 'code-b');
    expect(after.shape).not.toBe(before.shape);
    expect(after.mac).not.toBe(before.mac);
  });

  it('uses the digest of the store modules by default', () => {
    expect(receivedMac(key, shape, 'hostname r1\n')).toEqual(
      receivedMac(key, shape, 'hostname r1\n', storeCodeDigest()),
    );
  });
});
