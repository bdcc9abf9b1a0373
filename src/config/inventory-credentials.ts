/** Credential sets: defined once under `credentials:`, named by hosts, groups or defaults. */
import type { ConfigIssue } from './diagnostics.js';
import type { Picked } from './inventory-layers.js';
import type { MergedInventory } from './inventory-merge.js';
import type { InventorySecrets } from './inventory-secrets.js';
import type { Credentials } from './model.js';

/** Every defined set by name, its secrets read as references. */
export function resolveCredentialSets(
  credentialSets: MergedInventory['credentialSets'],
  secrets: InventorySecrets,
): Map<string, Credentials> {
  const credentials = new Map<string, Credentials>();
  for (const [name, { at, raw }] of credentialSets) {
    const base = ['credentials', name];
    const secret = (field: 'password' | 'enable' | 'privateKey') => {
      const value = raw[field];
      return value === undefined ? {} : { [field]: secrets.read(value, at.source, [...base, field]) };
    };
    credentials.set(name, {
      name,
      username: raw.username,
      ...secret('password'),
      ...secret('enable'),
      ...secret('privateKey'),
    });
  }
  return credentials;
}

/** The set a host's closest layer names; an unknown name is an issue where it is written. */
export function hostCredentials(
  picked: Picked['credentials'],
  credentials: ReadonlyMap<string, Credentials>,
  issues: ConfigIssue[],
): Credentials | undefined {
  if (!picked) return undefined;
  const creds = credentials.get(picked.value as string);
  if (!creds) {
    const known = [...credentials.keys()].join(', ') || 'none defined';
    issues.push(
      picked.layer.source.issue(
        [...picked.layer.path, 'credentials'],
        `unknown credentials set "${picked.value}"; known sets: ${known}`,
        'Define it under the top-level `credentials:` section.',
      ),
    );
  }
  return creds;
}
