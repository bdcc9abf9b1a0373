/** A code digest changes with any module of its folder, so a cache keyed on it never outlives a fix. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeDigest } from '../../src/core/code-digest.js';
import { useTempDir } from '../helpers/fixture.js';

const root = useTempDir('netops-code-digest-');

describe('codeDigest', () => {
  it('changes with any module of the folder, and ignores other files', () => {
    const dir = path.join(root, 'store');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'sanitize.js'), 'export const a = 1;\n');
    writeFileSync(path.join(dir, 'prepare.js'), 'export const b = 2;\n');
    const first = codeDigest(dir, '.js');
    writeFileSync(path.join(dir, 'sanitize.js.map'), '{}');
    expect(codeDigest(dir, '.js')).toBe(first);
    writeFileSync(path.join(dir, 'sanitize.js'), 'export const a = 3;\n');
    const edited = codeDigest(dir, '.js');
    expect(edited).not.toBe(first);
    writeFileSync(path.join(dir, 'rules.js'), '\n');
    expect(codeDigest(dir, '.js')).not.toBe(edited);
  });
});
