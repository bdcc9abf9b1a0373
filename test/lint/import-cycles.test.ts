/**
 * src/ has no import cycles (every import counts, type-only too), and the check finds one when a
 * file does import back.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../../scripts/lint/import-cycles.js';
import { useTempDir } from '../helpers/fixture.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = useTempDir('netops-cycles-');

async function tree(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
}

describe('import cycles', () => {
  it('src/ has none', () => {
    const cycles = importCycles(importGraph(path.join(root, 'src')));
    expect(cycles.map((c) => c.path.map((f) => path.relative(root, f)).join(' -> '))).toEqual([]);
  });

  it('are found through type-only imports, re-exports and import(), with the path to cut', async () => {
    await tree({
      'a/spec.ts': "import type { Step } from '../b/step.js';\nexport type Spec = { steps: Step[] };\n",
      'b/step.ts': "export * from './kinds.js';\nexport type Step = string;\n",
      'b/kinds.ts': "export const load = () => import('../a/spec.js');\n",
      'c/alone.ts': "import { load } from '../b/kinds.js';\nexport { load };\n",
      'c/self.ts': "export * from './self.js';\n",
    });
    const cycles = importCycles(importGraph(dir)).map((c) => c.path.map((f) => path.relative(dir, f)));
    expect(cycles).toEqual(
      expect.arrayContaining([
        ['a/spec.ts', 'b/step.ts', 'b/kinds.ts', 'a/spec.ts'],
        ['c/self.ts', 'c/self.ts'],
      ]),
    );
    expect(cycles).toHaveLength(2);
  });
});
