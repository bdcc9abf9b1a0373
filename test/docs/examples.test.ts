/**
 * The worked examples in docs/*.md are executed: a ```yaml file=PATH block is written to a fresh
 * folder, and in a ```console block each `$ netops ...` line runs the built binary there and must
 * print exactly the lines that follow it (stdout, then stderr). `$ export NAME=value` sets a variable.
 */
import { readFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNetops } from '../helpers/netops-cli.js';

const docs = ['inventory.md', 'jobs.md', 'cli.md'];
const fence = /^```(\w+)(?: file=(\S+))?\n([\s\S]*?)^```$/gm;

interface Step {
  readonly command: string;
  readonly expected: string;
}

function parse(markdown: string): { files: Record<string, string>; steps: Step[] } {
  const files: Record<string, string> = {};
  const steps: Step[] = [];
  for (const [, lang, file, body] of markdown.matchAll(fence)) {
    if (file) files[file] = body!;
    if (lang !== 'console') continue;
    const lines = body!.replace(/\n$/, '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('$ ')) continue;
      const output: string[] = [];
      while (i + 1 < lines.length && !lines[i + 1]!.startsWith('$ ')) output.push(lines[++i]!);
      steps.push({ command: lines[i - output.length]!.slice(2), expected: output.join('\n') });
    }
  }
  return { files, steps };
}

/** Splits a shell-like command line; quotes group words (enough for the docs' examples). */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

describe.each(docs)('docs/%s', (doc) => {
  it('runs its worked example as written', async () => {
    const { files, steps } = parse(await readFile(path.join('docs', doc), 'utf8'));
    expect(steps.length, 'the doc has a console example').toBeGreaterThan(0);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netops-doc-'));
    try {
      for (const [file, body] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), body);
      }
      // Only what the doc exports: a variable of the tester's own shell must not change the output.
      const env: Record<string, string | undefined> = Object.fromEntries(
        Object.keys(process.env)
          .filter((name) => name.startsWith('NETOPS_'))
          .map((name) => [name, undefined]),
      );
      for (const step of steps) {
        const [program, ...args] = words(step.command);
        if (program === 'export') {
          const [name, value] = args[0]!.split('=');
          env[name!] = value!;
          continue;
        }
        expect(program).toBe('netops');
        const result = await runNetops(args, { cwd: dir, env });
        const printed = `${result.stdout}${result.stderr}`.replace(/[ \t]+$/gm, '').replace(/\n$/, '');
        expect(printed, `output of: ${step.command}`).toBe(step.expected);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Each command is a netops process; a doc runs several, one after the other, on a shared machine.
  }, 180_000);
});
