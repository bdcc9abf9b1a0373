/**
 * The netns lab starts `node` processes inside namespaces; Node 20 cannot run TypeScript, so the
 * tests compile `src/` once (TypeScript's transpileModule, no type check) into a temp folder that
 * resolves packages from the project's node_modules, and point the lab's runtime at it.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const project = fileURLToPath(new URL('../../../', import.meta.url));

export interface CompiledRuntime {
  readonly root: string;
  readonly node: string;
  /** Folder of the compiled src/lab/netns entry points. */
  readonly entries: string;
  /** The compiled `src/` (import compiled modules from a child process with it). */
  readonly src: string;
  remove(): Promise<void>;
}

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(full);
    else if (entry.name.endsWith('.ts')) yield full;
  }
}

export async function compileSources(): Promise<CompiledRuntime> {
  const root = await mkdtemp(path.join(tmpdir(), 'netops-netns-js-'));
  await symlink(path.join(project, 'node_modules'), path.join(root, 'node_modules'));
  await writeFile(
    path.join(root, 'package.json'),
    '{"name":"netops","version":"0.0.0-netns-test","type":"module"}\n',
  );
  const srcDir = path.join(project, 'src');
  for await (const file of tsFiles(srcDir)) {
    const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    const out = path.join(root, 'src', path.relative(srcDir, file)).replace(/\.ts$/, '.js');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, outputText);
  }
  const src = path.join(root, 'src');
  return {
    root,
    node: process.execPath,
    entries: path.join(src, 'lab', 'netns'),
    src,
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
