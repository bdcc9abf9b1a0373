/**
 * Running podman the one way that works on these machines: always `--runtime runc` (podman's default
 * crun refuses hybrid cgroups) and, on every container it starts, explicit rlimits (runc cannot keep
 * the host's: "error setting rlimit type 7/6: operation not permitted"). A failure is LAB_FAILED
 * quoting the command and podman's stderr.
 */
import { run, type RunOptions, type RunResult } from '../netns/command.js';

export const podmanBin = 'podman';

/** Open files and processes a lab container may have (within the hard limits of the host). */
export const containerLimits = { nofile: 16_384, nproc: 4_096 } as const;

/** The `--ulimit` flags every `podman run`/`create`/`build` gets. */
export const ulimitFlags: readonly string[] = [
  '--ulimit',
  `nofile=${containerLimits.nofile}:${containerLimits.nofile}`,
  '--ulimit',
  `nproc=${containerLimits.nproc}:${containerLimits.nproc}`,
];

/** Label on every container and network a lab creates: its value is the lab id. */
export const labLabel = 'netops.lab';

export function podman(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(podmanBin, ['--runtime', 'runc', ...args], options);
}

/** Names of the containers (all states) or networks carrying `netops.lab=ID`. */
export async function labeled(kind: 'container' | 'network', id: string): Promise<string[]> {
  const filter = `label=${labLabel}=${id}`;
  const args =
    kind === 'container'
      ? ['ps', '-a', '--filter', filter, '--format', '{{.Names}}']
      : ['network', 'ls', '--filter', filter, '--format', '{{.Name}}'];
  const { stdout } = await podman(args);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
