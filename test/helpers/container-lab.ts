/**
 * The container lab (root, podman) as a file-level fixture, brought up and down through the built
 * CLI as a user does (`npm run build` first: the sim image carries dist/). The images are built by
 * the first file that needs them and found by the others: `lab images build` takes a machine-wide
 * lock and tags images by a hash of their inputs, so a CI machine builds them once.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { NetnsSpecInput } from '../../src/lab/netns/spec.js';
import type { ContainerLabState } from '../../src/lab/container/state.js';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
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

/** A podman network's subnets as podman lists them (`198.18.128.0/24 2001:db8:c0::/64`); '' when it has none. */
export function networkSubnets(name: string): Promise<string> {
  const format = '{{range .Subnets}}{{.Subnet}} {{end}}';
  return new Promise((resolve) => {
    execFile(
      'podman',
      ['--runtime', 'runc', 'network', 'inspect', '--format', format, name],
      (error, stdout) => resolve(error ? '' : stdout.trim()),
    );
  });
}

/** One inventory host per lab host and method: `r1-v6-tftp-snmp`, with what it stands for. */
export interface ExpandedHost {
  readonly host: string;
  readonly method: string;
  readonly address: string;
}

export interface ContainerBackup {
  readonly record: RunRecord;
  /** Exit code and stderr of `netops run`, for assertion messages. */
  readonly output: string;
  readonly expanded: ReadonlyMap<string, ExpandedHost>;
}

/**
 * Backs up every host of the lab once per method `methodsOf(platform group)` gives, in one
 * `netops run` from `work` (its inventory, job and store), the devices uploading TFTP to the host's
 * own addresses on the lab network, port 69.
 */
export async function backupEveryMethod(
  lab: ContainerLabFixture,
  work: string,
  methodsOf: (group: string) => readonly string[],
  concurrency: number,
  retries = 0,
): Promise<ContainerBackup> {
  const inventory = parse(await readFile(path.join(lab.dir, 'container-inventory.yaml'), 'utf8')) as {
    hosts: Record<string, { address: string; groups: string[]; data: Record<string, unknown> }>;
  };
  const hosts: typeof inventory.hosts = {};
  const expanded = new Map<string, ExpandedHost>();
  for (const [name, host] of Object.entries(inventory.hosts)) {
    for (const method of methodsOf(host.groups[0] ?? '')) {
      hosts[`${name}-${method}`] = { ...host, data: { ...host.data, backupMethods: [method] } };
      expanded.set(`${name}-${method}`, { host: name, method, address: host.address });
    }
  }
  await writeFile(path.join(work, 'inventory.yaml'), stringify({ ...inventory, hosts }));
  const { gateway } = lab.state.network;
  await writeFile(
    path.join(work, 'job.yaml'),
    stringify({
      inventory: 'inventory.yaml',
      concurrency,
      retries: { count: retries, backoff: '1s' },
      trustNewHostKeys: true,
      tftp: { listen: [`${gateway.ipv4}:69`, `[${gateway.ipv6}]:69`], timeout: 60 },
      store: { dir: 'store' },
      steps: [{ task: 'backup', params: { method: 'auto' } }],
    }),
  );
  const run = await runNetops(['run', 'job.yaml', '--json'], {
    cwd: work,
    env: { ...lab.env, NETOPS_STATE_DIR: path.join(work, 'state') },
  });
  return {
    record: runRecordSchema.parse(JSON.parse(run.stdout)),
    output: `exit ${run.code}\n${run.stderr}`,
    expanded,
  };
}
