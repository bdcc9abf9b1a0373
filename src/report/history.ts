/**
 * "Changes since": every commit of the store that touched facts/ after a date, with what changed
 * for each host, computed by comparing the file before and after the commit (so it does not depend
 * on how commit messages are worded).
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { NetopsError } from '../core/errors.js';
import { diffFacts } from './fact-diff.js';
import type { DeviceFacts } from '../facts/device-facts.js';
import { parseFacts } from './load.js';

export interface FactChange {
  /** Commit author date, ISO 8601. */
  readonly date: string;
  readonly commit: string;
  readonly host: string;
  readonly changes: readonly string[];
}

const run = promisify(execFile);

/** Changes per host and commit since `since`, newest first. */
export async function factChangesSince(storeDir: string, since: Date): Promise<FactChange[]> {
  let log: string;
  try {
    ({ stdout: log } = await run(
      'git',
      [
        '-C',
        storeDir,
        'log',
        `--since=${since.toISOString()}`,
        '--format=%x1e%H%x1f%aI',
        '--name-only',
        '--',
        'facts/',
      ],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    ));
  } catch (error) {
    throw new NetopsError(
      'STORE_FAILED',
      `cannot read the git history of ${storeDir}: ${(error as Error).message.split('\n')[0]}`,
      {
        cause: error,
        hint: 'Point --store at the git repository of the store, or leave out --changes-since.',
      },
    );
  }
  const touched = log
    .split('\x1e')
    .slice(1)
    .flatMap((record) => {
      const [head = '', ...files] = record.trim().split('\n');
      const [commit = '', date = ''] = head.split('\x1f');
      return files.filter((f) => /^facts\/[^/]+\.json$/.test(f)).map((file) => ({ commit, date, file }));
    });
  const blobs = await readBlobs(
    storeDir,
    touched.flatMap((t) => [`${t.commit}^:${t.file}`, `${t.commit}:${t.file}`]),
  );
  const changes: FactChange[] = [];
  touched.forEach((t, i) => {
    const after = facts(blobs[2 * i + 1]);
    const before = facts(blobs[2 * i]);
    const host = after?.host ?? before?.host ?? t.file.slice('facts/'.length, -'.json'.length);
    const list = after ? diffFacts(before, after) : ['facts removed'];
    if (list.length > 0) changes.push({ date: t.date, commit: t.commit, host, changes: list });
  });
  return changes;
}

function facts(text: string | undefined): DeviceFacts | undefined {
  if (text === undefined) return undefined;
  try {
    return parseFacts(text);
  } catch {
    return undefined;
  }
}

/** Contents of `rev:path` objects through one `git cat-file --batch`; undefined where missing. */
function readBlobs(dir: string, specs: readonly string[]): Promise<(string | undefined)[]> {
  if (specs.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => {
      const out = Buffer.concat(chunks);
      const result: (string | undefined)[] = [];
      let at = 0;
      for (let i = 0; i < specs.length; i++) {
        const eol = out.indexOf(0x0a, at);
        const header = out.subarray(at, eol).toString();
        at = eol + 1;
        const size = / blob (\d+)$/.exec(header)?.[1];
        if (size === undefined) {
          result.push(undefined);
          continue;
        }
        result.push(out.subarray(at, at + Number(size)).toString('utf8'));
        at += Number(size) + 1;
      }
      resolve(result);
    });
    child.stdin.end(`${specs.join('\n')}\n`);
  });
}
