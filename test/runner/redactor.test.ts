/** The redactor masks every resolved secret at any depth of what a run writes, and copies nothing else. */
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/runner/redactor.js';

describe('Redactor', () => {
  const redact = new Redactor();
  redact.add('s3cr3t-value');
  redact.add('abc'); // too short to mask: ordinary words would be hit

  it('masks a secret in strings, arrays and nested objects, keeping the structure and other values', () => {
    const data = {
      method: 'show',
      attempts: [{ method: 'tftp-cli', message: 'login as admin/s3cr3t-value refused' }, { method: 'show' }],
      sizes: [],
      bytes: 50_321,
      changed: false,
      note: null,
      diff: '-enable secret s3cr3t-value\n+enable secret s3cr3t-value2\nabc',
    };
    expect(redact.value(data)).toEqual({
      method: 'show',
      attempts: [{ method: 'tftp-cli', message: 'login as admin/******** refused' }, { method: 'show' }],
      sizes: [],
      bytes: 50_321,
      changed: false,
      note: null,
      diff: '-enable secret ********\n+enable secret ********2\nabc',
    });
    // The caller's value is left as it was.
    expect(data.attempts[0]?.message).toBe('login as admin/s3cr3t-value refused');
  });

  it('returns a value with nothing to mask as it is, without a copy', () => {
    const data = { method: 'show', attempts: [{ method: 'show', ok: true }], sizes: [{ said: 1, got: 1 }] };
    expect(redact.value(data)).toBe(data);
    expect(redact.text('no secret here')).toBe('no secret here');
  });
});
