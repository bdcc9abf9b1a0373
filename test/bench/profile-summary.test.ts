/**
 * bench/profile/summarize.mjs on a real V8 CPU profile: a script laid out like netops' build
 * (dist/store/sanitize.js called from dist/cli/main.js) runs under `node --cpu-prof`, and the summary
 * names its busy function in the area, module, function and stack tables, per device; and
 * bench/profile/backup.mjs profiles two real backups of a two-device lab (needs `npm run build`).
 * Presence only: how many milliseconds a sample shows depends on the machine.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/node-process.js';
import { useTempDir } from '../helpers/fixture.js';

const dir = useTempDir('netops-profile-summary-');
const summarizer = path.resolve('bench/profile/summarize.mjs');

// A fixed amount of work (not a duration): enough for many 1 ms samples on any machine.
const sanitizer = `export function busySanitizer(rounds) {
  let masked = 0;
  for (let i = 0; i < rounds; i++) masked += ('snmp-server community S' + i + ' RO').replace(/community \\S+/, 'community <removed>').length;
  return masked;
}
`;
const main = `import { busySanitizer } from '../store/sanitize.js';
console.log(busySanitizer(3_000_000));
`;

describe('the CPU profile summary', () => {
  it('names the busy function by area, module, function and call stack, per device', async () => {
    await mkdir(path.join(dir, 'dist/store'), { recursive: true });
    await mkdir(path.join(dir, 'dist/cli'), { recursive: true });
    await writeFile(path.join(dir, 'dist/store/sanitize.js'), sanitizer);
    await writeFile(path.join(dir, 'dist/cli/main.js'), main);
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    const profiles = path.join(dir, 'profiles');
    const run = await runNode([
      '--cpu-prof',
      `--cpu-prof-dir=${profiles}`,
      path.join(dir, 'dist/cli/main.js'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const files = (await readdir(profiles)).map((name) => path.join(profiles, name));
    expect(files).toHaveLength(1);

    const summary = await runNode([summarizer, '--devices', '10', '--stacks', 'busySanitizer', ...files]);
    expect(summary.code, summary.stderr).toBe(0);
    const section = (title: string) =>
      summary.stdout.split('\n\n').find((part) => part.includes(title)) ?? '';
    expect(summary.stdout).toMatch(
      /^1 profile\(s\), \d+ ms busy on the main thread \([\d.]+ ms per device of 10\)/,
    );
    expect(section('by area:')).toMatch(/ms\/device {2}netops sanitize$/m);
    expect(section('modules')).toMatch(/ms\/device {2}dist\/store\/sanitize\.js$/m);
    expect(section('functions')).toMatch(/ms\/device {2}busySanitizer dist\/store\/sanitize\.js:1$/m);
    expect(section('heaviest stacks')).toMatch(
      /busySanitizer dist\/store\/sanitize\.js:1 < \(anonymous\) dist\/cli\/main\.js:/,
    );
  });

  it('says how to call it when given no profile (exit 2)', async () => {
    const run = await runNode([summarizer]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: node bench/profile/summarize.mjs');
  });
});

describe('the backup profile', () => {
  it('backs up a loopback lab twice under the profiler and summarizes each run, with its CPU per device', async () => {
    const out = path.join(dir, 'backup-profiles');
    const args = [
      '--devices',
      '2',
      '--parallel',
      '2',
      '--latency',
      '0',
      '--config-bytes',
      '5000',
      '--out',
      out,
    ];
    const run = await runNode([path.resolve('bench/profile/backup.mjs'), ...args]);
    expect(run.code, run.stderr).toBe(0);
    const cpu = String.raw`CPU [\d.]+ s = [\d.]+ ms per device \(getrusage`;
    expect(run.stdout).toMatch(
      new RegExp(
        `== first run \\(every config stored\\): exit 0, 2 changed, 0 unchanged, 0 failed; .*${cpu}`,
      ),
    );
    expect(run.stdout).toMatch(
      new RegExp(
        `== second run \\(every config unchanged\\): exit 0, 0 changed, 2 unchanged, 0 failed; .*${cpu}`,
      ),
    );
    expect(run.stdout.match(/^by area:$/gm)).toHaveLength(2);
    expect(await readdir(path.join(out, 'first'))).toHaveLength(1);
    expect(await readdir(path.join(out, 'unchanged'))).toHaveLength(1);
  });
});
