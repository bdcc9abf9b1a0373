// A bench result as it is kept: bench/results/NAME-DATE.json with the machine, the versions and the
// parameters beside the figures, so docs/performance.md can be regenerated from the files alone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const resultsDir = path.join(root, 'bench/results');

/** What a figure depends on besides the code: CPUs, memory, load when the run started. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/**
 * The package's version, Node's, and the commit of the build measured: the checkout holding
 * NETOPS_DIST when a bench runs another build (a worktree's, for an A/B), with `-dirty` when that
 * checkout's sources differ from its commit, so a figure never names code it did not run.
 */
export function versions() {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dist = path.resolve(process.env.NETOPS_DIST ?? path.join(root, 'dist'));
  const checkout = path.dirname(dist);
  const git = (...args) => execFileSync('git', args, { cwd: checkout, encoding: 'utf8' }).trim();
  let commit = 'unknown';
  try {
    commit = git('rev-parse', '--short', 'HEAD');
    if (git('status', '--porcelain', '--untracked-files=no', '--', 'src') !== '') commit += '-dirty';
  } catch {
    // not a git checkout: the figures still stand, without the commit
  }
  const other = dist === path.join(root, 'dist') ? {} : { dist };
  return { netops: pkg.version, commit, ...other, node: process.versions.node };
}

/** 2026-11-29T21-04-05: sorts by time, safe in a file name. */
export function stamp(date = new Date()) {
  return date.toISOString().slice(0, 19).replaceAll(':', '-');
}

export function writeResult(result, dir = resultsDir) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.name}-${stamp(new Date(result.date))}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * The newest result of each bench in `dir` at each device count, method and core split (a bench run
 * at 100 and at 1,000 devices keeps both, a backup by show and by tftp-cli too, and one with netops on
 * cores of its own), keyed `NAME`, `NAME@DEVICES`, `NAME@DEVICES@METHOD` or
 * `NAME@DEVICES@METHOD@coresN`: full-size ones only unless `smoke`.
 */
export function latestResults(dir = resultsDir, { smoke = false } = {}) {
  const latest = new Map();
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return latest;
  }
  for (const file of files.sort()) {
    const result = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const size = result.parameters?.devices;
    const method = result.parameters?.method;
    // A backup that gave netops cores of its own (`--cores N`) is kept beside one that shared them.
    const cores = typeof result.parameters?.cores === 'number' ? `@cores${result.parameters.cores}` : '';
    const key = `${result.name}${size === undefined ? '' : `@${size}`}${method === undefined ? '' : `@${method}`}${cores}`;
    if (smoke || !result.smoke)
      latest.set(key, {
        ...result,
        file: path.join('bench/results', file),
      });
  }
  return latest;
}
