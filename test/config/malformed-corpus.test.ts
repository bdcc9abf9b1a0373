/**
 * The bad-input corpus: over a hundred malformed inventory files, job files and command lines, each
 * run through `netops run` in-process (the command as registered, errors mapped to exit codes as
 * main.ts does). Each must exit 2 with `file:line:col` (the ‸ in the fixture, removed before writing)
 * and a hint, never INTERNAL or a bare library message, contact no device and write nothing.
 */
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { register as registerRun } from '../../src/cli/commands/run.js';
import { exitCodeFor, exitCodes, formatError } from '../../src/cli/exit.js';
import { useEnv, useStarted, useTempDir } from '../helpers/fixture.js';
import { countingListener } from '../helpers/tcp-listener.js';
import { cases, fileOf, inv, job, marker, place } from './malformed-corpus-cases.js';

const device = useStarted(() => countingListener('127.0.0.1'));
const dir = useTempDir('netops-corpus-');
useEnv({ NETOPS_CORPUS_PW: 'corpus-pw' });

async function listing(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map(String).sort();
}

/** `netops run JOB ARGS` in-process: what main.ts prints and the exit code it sets. */
async function runInProcess(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const program = new Command('netops')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (text) => (stderr += text), writeOut: () => undefined });
  registerRun(program);
  const before = process.exitCode;
  try {
    await program.parseAsync(['run', ...args], { from: 'user' });
    return { code: Number(process.exitCode ?? 0), stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: exitCodes.invalidInput, stderr };
    return { code: exitCodeFor(error), stderr: `${stderr}${formatError(error)}\n` };
  } finally {
    process.exitCode = before;
  }
}

describe('malformed input corpus', () => {
  it(`has at least 100 cases (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(100));

  it.each(cases)('$name', async (c) => {
    const root = await mkdtemp(path.join(dir, 'case-'));
    const texts: Record<string, string> = {
      [fileOf.inv]: c.inv ?? inv(),
      [fileOf.job]: c.job ?? job(),
      ...(c.inv2 === undefined ? {} : { [fileOf.inv2]: c.inv2 }),
    };
    let expected: { line: number; col: number } | undefined;
    for (const [name, raw] of Object.entries(texts)) {
      const placed = place(raw.replaceAll('PORT', String(device.port)));
      if (c.in && name === fileOf[c.in]) expected = placed;
      await mkdir(path.dirname(path.join(root, name)), { recursive: true });
      if (!(c.extra && `${name}/` in c.extra)) {
        await writeFile(path.join(root, name), placed?.text ?? raw.replaceAll('PORT', String(device.port)));
      }
    }
    for (const name of Object.keys(c.extra ?? {})) await mkdir(path.join(root, name), { recursive: true });
    if (c.in && c.in !== 'inv' && c.in !== 'job' && c.in !== 'inv2') throw new Error('bad case');
    if (c.in && !(c.extra && `${fileOf[c.in]}/` in c.extra)) {
      expect(expected, `the fixture for ${c.in} has a ${marker} marker`).toBeDefined();
    }
    const files = await listing(root);
    const connections = device.connections();

    const args = (c.args ?? []).map((a) => (a === 'nope.yaml' ? path.join(root, a) : a));
    const result = await runInProcess([path.join(root, fileOf.job), ...args]);

    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(c.says);
    // Commander's own errors end with main.ts's pointer to --help; ours carry a hint.
    expect(result.stderr).toMatch(c.in === undefined ? /hint: \S|run with --help/ : /hint: \S/);
    expect(result.stderr).not.toMatch(/INTERNAL|This is a bug|at .*\.js:\d+/);
    if (c.in && expected) {
      expect(result.stderr).toContain(`${path.join(root, fileOf[c.in])}:${expected.line}:${expected.col} `);
    } else if (c.in) expect(result.stderr).toContain(path.join(root, fileOf[c.in]));
    expect(device.connections()).toBe(connections);
    expect(await listing(root)).toEqual(files);
  });
});
