/**
 * The layer table is enforced by lint: an import that runs up a layer (or into or out of lab/ where
 * the table says no) is reported by the project's own eslint configuration, and the table in
 * docs/development.md lists the folders in the order lint enforces.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { layers, sideFolders } from '../../scripts/lint/layers.js';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/**
 * The layer errors eslint gives `code` as if it were the file `file` of the project; errors, not
 * warnings, so `npm run lint` (and `npm test`) fails on them.
 */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages
    .filter((m) => m.ruleId === 'layers/imports-go-down' && m.severity === 2)
    .map((m) => m.message);
}

// The first lint loads the TypeScript parser and the whole configuration: slow on a loaded machine.
describe('layer lint (layers/imports-go-down)', { timeout: 120_000 }, () => {
  it('reports an import that runs up a layer, type-only, re-export and import() alike', async () => {
    expect(
      await layerErrors(
        'src/snmp/entity-extra.ts',
        "import type { FactChange } from '../report/history.js';\nexport type Change = FactChange;\n",
      ),
    ).toEqual([
      'snmp/ may not import ../report/history.js: src/report/ is above src/snmp/ in the layers (imports go down). See the layer table in docs/development.md.',
    ]);
    expect(await layerErrors('src/store/extra.ts', "export * from '../tasks/task.js';\n")).toHaveLength(1);
    expect(
      await layerErrors('src/core/extra.ts', "export const later = () => import('../config/job.js');\n"),
    ).toHaveLength(1);
    // A nested folder deeper in a layer resolves to where the file lands.
    expect(
      await layerErrors('src/platforms/ios/extra.ts', "export * from '../../runner/runner.js';\n"),
    ).toEqual([expect.stringContaining('src/runner/ is above src/platforms/')]);
  });

  it('lets imports go down: config uses net, snmp, report and tasks use facts, report reads the store', async () => {
    for (const [file, spec] of [
      ['src/config/extra.ts', '../net/address.js'],
      ['src/snmp/extra.ts', '../facts/device-facts.js'],
      ['src/report/extra.ts', '../facts/device-facts.js'],
      ['src/report/extra.ts', '../store/git-store.js'],
      ['src/tasks/collect/extra.ts', '../../facts/os-info.js'],
      ['src/cli/commands/extra.ts', '../../lab/spec.js'],
    ] as const) {
      expect(await layerErrors(file, `export * from '${spec}';\n`), `${file} -> ${spec}`).toEqual([]);
    }
  });

  it('keeps lab/ apart: it never imports platforms/, and only cli/ imports it', async () => {
    expect(
      await layerErrors('src/lab/device/extra.ts', "export * from '../../platforms/ios/index.js';\n"),
    ).toEqual([
      'lab/ may not import ../../platforms/ios/index.js: src/lab/ may use only core/, net/, tftp/. See the layer table in docs/development.md.',
    ]);
    expect(await layerErrors('src/tasks/extra.ts', "export * from '../lab/spec.js';\n")).toEqual([
      expect.stringContaining('only cli/ may use src/lab/'),
    ]);
    // src/lab/cli/ is lab's own folder, not the cli layer.
    expect(await layerErrors('src/lab/device/extra.ts', "export * from '../cli/copy.js';\n")).toEqual([]);
  });

  it('refuses a new top-level folder until the table places it', async () => {
    expect(await layerErrors('src/inventory/extra.ts', "export * from '../core/errors.js';\n")).toEqual([
      expect.stringContaining('src/inventory/ is not in the layer table (scripts/lint/layers.js)'),
    ]);
  });

  it('docs/development.md lists the folders in the order lint enforces', async () => {
    const doc = await readFile(path.join(root, 'docs/development.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Layers'), doc.indexOf('## Conventions'));
    const rows = [...section.matchAll(/^\| `([a-z-]+)\/` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...layers, ...Object.keys(sideFolders)]);
  });
});
