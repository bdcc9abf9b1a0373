/**
 * ESLint rule `layers/imports-go-down`: a file under src/FOLDER/ imports only what the layer table
 * (`layers.js`) allows FOLDER. Relative specifiers are resolved to the folder they land in, so a
 * nested folder that shares a layer's name (src/lab/cli/) is not mistaken for that layer; static
 * imports, re-exports, `import type`, `import()` and `typeof import()` all count.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerViolation } from './layers.js';

/** The project's src/, wherever eslint is started from. */
const srcDir = fileURLToPath(new URL('../../src', import.meta.url));

/** The top-level folder of src/ that `file` lies in, or undefined outside a folder of src/. */
function srcFolder(file) {
  const relative = path.relative(srcDir, file).split(path.sep);
  if (relative.length < 2 || relative[0] === '..' || path.isAbsolute(relative[0])) return undefined;
  return relative[0];
}

const rule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'imports follow the layer table of src/ (scripts/lint/layers.js, docs/development.md)',
    },
    schema: [],
    messages: {
      upward: '{{from}}/ may not import {{spec}}: {{why}}. See the layer table in docs/development.md.',
    },
  },
  create(context) {
    const from = srcFolder(context.filename);
    if (from === undefined) return {};
    const check = (source) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = srcFolder(path.resolve(path.dirname(context.filename), source.value));
      if (to === undefined) return;
      const why = layerViolation(from, to);
      if (why) context.report({ node: source, messageId: 'upward', data: { from, spec: source.value, why } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source.type === 'Literal' ? node.source : undefined),
      TSImportType: (node) => check(node.source),
    };
  },
};

export const layersPlugin = { rules: { 'imports-go-down': rule } };
