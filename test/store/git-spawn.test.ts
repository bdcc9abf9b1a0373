/**
 * git that cannot be started says why: "install git" only when it is missing, the machine's state
 * or the user's rights otherwise. Missing and not executable are real (a PATH without git, a `git`
 * that is no program); a fork the kernel refuses cannot be caused on demand, so node:child_process
 * is wrapped to report the errno the kernel would have (the child still spawned, and failed, for real).
 */
import type * as ChildProcess from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NetopsError } from '../../src/core/errors.js';
import { STORE_AUTHOR, runGit } from '../../src/store/git.js';
import { useTempDir } from '../helpers/fixture.js';

/** The errno the next spawn fails with instead of its own. */
let refuseNext: string | undefined;

vi.mock('node:child_process', async (importOriginal) => {
  const cp = await importOriginal<typeof ChildProcess>();
  return {
    ...cp,
    spawn: (command: string, args: readonly string[], options: ChildProcess.SpawnOptions) => {
      const refused = refuseNext;
      refuseNext = undefined;
      if (refused === undefined) return cp.spawn(command, args, options);
      // A program that does not exist fails the spawn the way a refused fork does: an 'error' event.
      const child = cp.spawn(`${command}-that-does-not-exist`, args, options);
      child.prependListener('error', (error: NodeJS.ErrnoException) => {
        error.code = refused;
        error.message = `spawn ${command} ${refused}`;
      });
      return child;
    },
  };
});

const dir = useTempDir('netops-git-spawn-');
const savedPath = process.env['PATH'];

afterEach(() => {
  process.env['PATH'] = savedPath;
});

async function failure(): Promise<NetopsError> {
  const error = await runGit(dir, STORE_AUTHOR, ['--version']).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NetopsError);
  return error as NetopsError;
}

describe('git that cannot be started', () => {
  it('is missing only on ENOENT: then the hint is to install it', async () => {
    process.env['PATH'] = path.join(dir, 'empty');
    const error = await failure();
    expect(error.message).toBe(`cannot run git for the store in ${dir}: spawn git ENOENT`);
    expect(error.hint).toMatch(/^Install git/);
  });

  it('not executable by this user (EACCES): the hint names the rights, not an install', async () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'git'), '#!/bin/sh\n', { mode: 0o644 });
    process.env['PATH'] = bin;
    const error = await failure();
    expect(error.message).toBe(`cannot run git for the store in ${dir}: spawn git EACCES`);
    expect(error.hint).toBe(
      `This user may not run git or enter ${dir}: check the mode of git on PATH and of the store folder.`,
    );
  });

  it.each(['EAGAIN', 'ENOMEM'])('refused by the machine (%s): out of processes or memory', async (errno) => {
    refuseNext = errno;
    const error = await failure();
    expect(error.message).toBe(`cannot run git for the store in ${dir}: spawn git ${errno}`);
    expect(error.hint).toMatch(/^The machine is out of processes or memory/);
    expect(error.hint).not.toContain('Install git');
  });

  it('any other errno: named, with a hint to check git and the limits', async () => {
    refuseNext = 'EMFILE';
    const error = await failure();
    expect(error.message).toBe(`cannot run git for the store in ${dir}: spawn git EMFILE`);
    expect(error.hint).toMatch(/^Check that git on PATH runs for this user/);
  });
});
