/** Name resolution split by family, literals untouched, failures explained. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isNetopsError } from '../../src/core/errors.js';
import { resolveHost } from '../../src/net/resolve.js';

function systemAddresses(database: string): string[] {
  try {
    const out = execFileSync('getent', [database, 'localhost'], { encoding: 'utf8' });
    return [
      ...new Set(
        out
          .split('\n')
          .map((line) => line.split(/\s+/)[0] ?? '')
          .filter(Boolean),
      ),
    ];
  } catch {
    return [];
  }
}

describe('resolveHost', () => {
  // This machine's /etc/hosts has no `::1 localhost`, so the families are checked against the system
  // resolver (getent) rather than assumed: both appear where the hosts file lists both.
  it('gives every address of localhost the system resolver knows, split by family', async () => {
    const { v4, v6 } = await resolveHost('localhost');
    expect(v4).toContain('127.0.0.1');
    expect(v6).toEqual(systemAddresses('ahostsv6').filter((a) => !a.startsWith('::ffff:')));
  });

  it('limits to one family when asked', async () => {
    expect(await resolveHost('localhost', 4)).toEqual({ v4: ['127.0.0.1'], v6: [] });
  });

  it('returns literals as-is, in canonical form, without DNS', async () => {
    expect(await resolveHost('2001:DB8:0::1')).toEqual({ v4: [], v6: ['2001:db8::1'] });
    expect(await resolveHost('192.0.2.1')).toEqual({ v4: ['192.0.2.1'], v6: [] });
  });

  it('fails with NAME_UNRESOLVED and a hint for an unknown name', async () => {
    const error = await resolveHost('no-such-host.invalid').catch((e) => e);
    expect(isNetopsError(error, 'NAME_UNRESOLVED')).toBe(true);
    expect(error.message).toContain('no-such-host.invalid');
    expect(error.hint).toMatch(/spelling|DNS/);
  });
});
