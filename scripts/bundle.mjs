// `npm run build`'s second step: dist/cli/main.js and every module it may load, ours and the pure
// JavaScript packages (zod, commander, js-yaml, p-queue...), in one CommonJS file, dist/cli/bundle.cjs,
// which dist/cli/bin.cjs runs with a V8 code cache (src/cli/code-cache.cts). Start-up then reads
// one file and, with the cache, compiles nothing it compiled before.
//
//   node scripts/bundle.mjs [DIST]     (DIST: a folder tsc wrote, dist by default)
//
// What the bundle keeps working:
// - Each of our modules keeps its own `import.meta.url`: the file it was built as, beside the bundle
//   in DIST (package.json, templates/, docs/schema, the worker thread's and the lab's entry files,
//   `createRequire` of packages, code digests of a folder): so DIST stays whole beside the bundle.
// - Lazy loading: a dynamic `import()` of our modules or a bundled package becomes a module
//   initialised when that import runs, not at start-up (test/cli/lazy-commands.test.ts compares each
//   command's modules with the unbundled run's).
// - Left out, loaded by `require` from node_modules as before: packages with native parts or loaded
//   by path (ssh2 through its require hook, cpu-features), those large and seldom used (bullmq,
//   nodemailer, net-snmp, liquidjs, diff), and `yaml`, which our code also loads with createRequire
//   (one copy of it in a process, as before).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.resolve(root, process.argv[2] ?? 'dist');
const bundleDir = path.join(dist, 'cli');
const entry = path.join(bundleDir, 'main.js');
const outfile = path.join(bundleDir, 'bundle.cjs');

export const external = [
  'ssh2',
  'cpu-features',
  'bullmq',
  'nodemailer',
  'net-snmp',
  'liquidjs',
  'diff',
  'yaml',
];

/** Each of our modules keeps its own import.meta.url: the file tsc wrote, beside the bundle. */
const ownUrls = {
  name: 'own-urls',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(dist + path.sep)) return undefined;
      const contents = await readFile(args.path, 'utf8');
      const rel = path.relative(bundleDir, args.path).split(path.sep).join('/');
      return {
        contents: contents.replaceAll('import.meta.url', `__netopsUrl(${JSON.stringify(rel)})`),
        loader: 'js',
      };
    });
  },
};

const result = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  external,
  plugins: [ownUrls],
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  charset: 'ascii',
  // No `import()` left: the bundle is a vm.Script, which has no ES module loader behind it.
  supported: { 'dynamic-import': false },
  footer: {
    js: 'function __netopsUrl(rel) { return require("node:url").pathToFileURL(require("node:path").join(__dirname, rel)).href; }',
  },
});

// Comments keep their text (non-ASCII in a few): escaped, the file is ASCII, which code-cache.cts
// reads as one byte a character. In code esbuild escaped it already (charset ascii).
const text = await readFile(outfile, 'utf8');
// eslint-disable-next-line no-control-regex
const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
if (/\bimport\(/.test(ascii.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) {
  throw new Error(`${outfile}: an import() is left in the bundle`);
}
await writeFile(outfile, ascii);

const inputs = Object.keys(result.metafile.inputs).length;
console.log(`${path.relative(root, outfile)}: ${inputs} modules, ${ascii.length} bytes`);
