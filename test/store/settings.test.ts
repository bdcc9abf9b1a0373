/** The job file's `store:` section: defaults, the shrink allowance per host, and refused typos. */
import { describe, expect, it } from 'vitest';
import { shrinkAllowed, storeSettingsSchema } from '../../src/store/settings.js';

describe('store settings', () => {
  it('masks secrets and checks shrinking unless told otherwise', () => {
    const settings = storeSettingsSchema.parse({ dir: 'backups' });
    expect(settings).toEqual({ dir: 'backups', sanitize: true, placeholders: 'keyed', allowShrink: false });
    expect(shrinkAllowed(settings, 'r1')).toBe(false);
    expect(shrinkAllowed(settings, 'r1', ['r1'])).toBe(true);
  });

  it('allows shrinking for listed hosts or for all', () => {
    const listed = storeSettingsSchema.parse({ dir: 'b', allowShrink: ['r7'] });
    expect([shrinkAllowed(listed, 'r7'), shrinkAllowed(listed, 'r8')]).toEqual([true, false]);
    expect(shrinkAllowed(storeSettingsSchema.parse({ dir: 'b', allowShrink: true }), 'r8')).toBe(true);
  });

  it('refuses unknown keys and bad host names', () => {
    expect(storeSettingsSchema.safeParse({ dir: 'b', sanitise: false }).success).toBe(false);
    const bad = storeSettingsSchema.safeParse({ dir: 'b', allowShrink: ['../r1'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('expected a host name');
  });
});
