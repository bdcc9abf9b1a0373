/** The files shipped for users stay valid: example inventories and jobs, and the published schemas. */
import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { schemas } from '../../src/cli/actions/schema.js';
import { runNetops } from '../helpers/netops-cli.js';

const exampleEnv = {
  NETOPS_PASSWORD: 'example',
  NETOPS_ENABLE: 'example',
  NETOPS_SNMP_COMMUNITY: 'example',
  NETOPS_SNMP_AUTH: 'example-auth',
  NETOPS_SNMP_PRIV: 'example-priv',
};

describe('shipped files', () => {
  it('docs/schema matches what `netops schema` writes (run it after changing a schema)', async () => {
    for (const [name, schema] of Object.entries(schemas())) {
      const committed: unknown = JSON.parse(await readFile(`docs/schema/${name}`, 'utf8'));
      expect(committed, `docs/schema/${name} is stale: run \`node dist/cli/main.js schema\``).toEqual(schema);
    }
  });

  it('every example inventory passes `netops inventory check`', async () => {
    for (const file of (await readdir('inventory')).filter((f) => f.endsWith('.yaml'))) {
      const result = await runNetops(['inventory', 'check', '-i', `inventory/${file}`], { env: exampleEnv });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
  });

  it('every example job plans without errors', async () => {
    for (const file of (await readdir('jobs')).filter((f) => f.endsWith('.yaml'))) {
      const result = await runNetops(['run', `jobs/${file}`, '--plan'], { env: exampleEnv });
      expect(result.stderr, file).toBe('');
      expect(result.code, file).toBe(0);
    }
    // One process per job file, one after the other, on a machine the whole suite shares.
  }, 180_000);
});
