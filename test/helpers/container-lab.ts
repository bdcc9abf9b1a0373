/**
 * The container lab (root, podman) as a file-level fixture, brought up and down through the built
 * CLI as a user does (`npm run build` first: the sim image carries dist/). The images are built by
 * the first file that needs them and found by the others: `lab images build` takes a machine-wide
 * lock and tags images by a hash of their inputs, so a CI machine builds them once.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { NetnsSpecInput } from '../../src/lab/netns/spec.js';
import type { ContainerLabState } from '../../src/lab/container/state.js';
import { useFixture, useTempDir } from './fixture.js';
import { runNetops, type CliResult } from './netops-cli.js';

/** A cold build is minutes (mmdebstrap); a cached one, seconds. */
const buildTimeoutMs = 20 * 60_000;

function expectOk(what: string, result: CliResult): void {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${result.stderr}${result.stdout}`);
}

export interface ContainerLabFixture {
  readonly dir: string;
  readonly state: ContainerLabState;
  /** Environment with the lab's secrets (container-lab.env), for `netops run`. */
  readonly env: Record<string, string>;
}

async function envFile(file: string): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const match = /^export (\w+)='(.*)'$/.exec(line);
    if (match?.[1] && match[2] !== undefined) values[match[1]] = match[2].replace(/'\\''/g, "'");
  }
  return values;
}

/** A container lab of `spec` in a temp folder; `lab down` after the file's tests. */
export function useContainerLab(spec: NetnsSpecInput, prefix: string): ContainerLabFixture {
  const dir = useTempDir(prefix);
  return useFixture(
    async () => {
      expectOk('netops lab images build', await runNetops(['lab', 'images', 'build']));
      const specFile = path.join(dir, 'spec.yaml');
      await writeFile(specFile, stringify(spec));
      expectOk(
        'netops lab up --mode container',
        await runNetops(['lab', 'up', '--mode', 'container', '--spec', specFile, '--dir', dir]),
      );
      const state = JSON.parse(
        await readFile(path.join(dir, 'container-lab.json'), 'utf8'),
      ) as ContainerLabState;
      return { dir, state, env: await envFile(path.join(dir, 'container-lab.env')) };
    },
    async () => expectOk('netops lab down', await runNetops(['lab', 'down', '--dir', dir])),
    { timeoutMs: buildTimeoutMs },
  );
}
