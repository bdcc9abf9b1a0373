/** The in-process diff for new files reads exactly like git's own. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newFileDiff, relabelDiff } from '../../src/store/unified-diff.js';

function gitNewFileDiff(content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'netops-diff-'));
  try {
    writeFileSync(path.join(dir, 'new.cfg'), content);
    const out = execFileSync('sh', ['-c', 'git diff --no-index --no-ext-diff -- /dev/null new.cfg || true'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return relabelDiff(out, 'configs/r1.cfg', true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('newFileDiff', () => {
  it.each([
    ['several lines', 'hostname r1\n!\ninterface Gi0/1\n description x\nend\n'],
    ['one line', 'end\n'],
    ['no final newline', 'hostname r1\nend'],
    ['blank lines inside', 'hostname r1\n\n\nend\n'],
  ])('matches git for %s', (_name, content) => {
    expect(newFileDiff('configs/r1.cfg', content)).toBe(gitNewFileDiff(content));
  });
});
