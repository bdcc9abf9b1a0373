/**
 * The store is the only code that runs git (issue 19): one place holds git's fixed settings, its
 * environment and its errors, so a report reads history exactly as the backups write it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

it('only src/store/git.ts starts a git process', async () => {
  const files = (await readdir(path.join(root, 'src'), { recursive: true }))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join('src', file));
  const runsGit: string[] = [];
  for (const file of files) {
    const text = await readFile(path.join(root, file), 'utf8');
    if (/from 'node:child_process'/.test(text) && /['"`]git['"`]/.test(text)) runsGit.push(file);
  }
  expect(runsGit).toEqual(['src/store/git.ts']);
});
