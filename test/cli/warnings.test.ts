/**
 * Plain-text secrets in the inventory: the warning printed on every run names where each one is
 * and what to do, never the value, and many of them make one short entry, not a block each.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inventoryVocabulary } from '../../src/cli/load.js';
import { formatWarnings } from '../../src/cli/warnings.js';
import { loadInventory } from '../../src/config/inventory.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-warn-');
const values = Array.from({ length: 8 }, (_, i) => `PlainPw-${i}-s3cr3t`);

beforeAll(async () => {
  const credentials = values
    .map((value, i) => `  set${i}: { username: admin, password: "${value}" }`)
    .join('\n');
  await writeFile(
    path.join(dir, 'hosts.yaml'),
    `credentials:\n${credentials}\nhosts:\n  r1: { address: 198.18.0.1, platform: ios, credentials: set0 }\n`,
  );
});

describe('plain-text secret warnings', () => {
  it('name the file, line and field of every plain secret and the fix, without any value', async () => {
    const inventory = await loadInventory([path.join(dir, 'hosts.yaml')], await inventoryVocabulary());
    expect(inventory.warnings).toHaveLength(values.length);
    for (const warning of inventory.warnings) expect(warning.sourceLine).toBeUndefined();
    const text = formatWarnings(inventory.warnings).join('\n');
    for (const value of values) expect(text).not.toContain(value);
    expect(text).toContain(`${path.join(dir, 'hosts.yaml')}:2:`);
    expect(text).toContain('(credentials.set0.password)');
    expect(text).toMatch(/hint: .*\{ env: NAME \}.*\{ file: PATH \}/);
  });

  it('fold the same warning at many places into one entry of two lines', async () => {
    const inventory = await loadInventory([path.join(dir, 'hosts.yaml')], await inventoryVocabulary());
    const printed = formatWarnings(inventory.warnings);
    expect(printed).toHaveLength(1);
    expect(printed[0]?.split('\n')).toHaveLength(2);
    expect(printed[0]).toContain('plain-text secret at 8 places');
    expect(printed[0]).toContain('and 3 more');
  });

  it('print a single warning with its position and hint as before', () => {
    const issue = {
      pos: { file: 'inv.yaml', line: 3, col: 7 },
      path: 'hosts.r1.port',
      message: 'odd',
      hint: 'fix',
    };
    expect(formatWarnings([issue])).toEqual(['warning: inv.yaml:3:7 hosts.r1.port: odd\n  hint: fix']);
  });
});
