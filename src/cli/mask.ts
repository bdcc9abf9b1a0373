/** Hides plain-text secret values in anything printed (plans, inventory listings). References are kept. */
const secretKey = /(password|passwd|secret|community|key|token|pass)$/i;

export function maskSecrets(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return secretKey.test(key) ? '********' : value;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, key));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    // A reference says where the secret is, not what it is: safe to show.
    if (entries.length === 1 && (entries[0]?.[0] === 'env' || entries[0]?.[0] === 'file')) return value;
    if (entries.length === 1 && entries[0]?.[0] === 'value') return '********';
    return Object.fromEntries(entries.map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  return value;
}
