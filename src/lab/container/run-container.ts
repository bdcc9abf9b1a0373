/**
 * Starting one lab container: on the lab's network at fixed addresses, labelled with the lab id,
 * runc with explicit rlimits, its folder mounted at the same path (the configs the lab wrote name
 * host paths), its log in that folder (kept after `down`), and its extra addresses on lo.
 */
import { podman, labLabel, ulimitFlags } from './podman.js';
import type { DualStack } from '../netns/addressing.js';

export interface ContainerLaunch {
  /** Container name, `nolab-ID-DEVICE`. */
  readonly name: string;
  readonly hostname: string;
  readonly image: string;
  readonly labId: string;
  readonly network: string;
  readonly addresses: DualStack;
  /** Host folders mounted at the same path inside. */
  readonly mounts: readonly string[];
  /** `ADDRESS/PREFIX` put on lo by the image's entry script before the command runs. */
  readonly loAddresses: readonly string[];
  /** Added to podman's default capabilities. */
  readonly capabilities: readonly string[];
  /** Where podman writes the container's output (k8s-file format). */
  readonly log: string;
  readonly argv: readonly string[];
}

export function runArgs(launch: ContainerLaunch): string[] {
  return [
    'run',
    '--detach',
    ...['--name', launch.name, '--hostname', launch.hostname],
    ...['--label', `${labLabel}=${launch.labId}`, '--label', `${labLabel}.device=${launch.hostname}`],
    ...['--network', launch.network, '--ip', launch.addresses.ipv4, '--ip6', launch.addresses.ipv6],
    ...ulimitFlags,
    ...launch.capabilities.flatMap((capability) => ['--cap-add', capability]),
    // The lab's addresses are usable at once, as on a device whose interface came up long ago.
    ...['--sysctl', 'net.ipv6.conf.all.accept_dad=0', '--sysctl', 'net.ipv6.conf.default.accept_dad=0'],
    ...['--log-driver', 'k8s-file', '--log-opt', `path=${launch.log}`],
    ...['--env', `NETOPS_LAB_ADDRESSES=${launch.loAddresses.join(' ')}`],
    ...launch.mounts.flatMap((dir) => ['--volume', `${dir}:${dir}`]),
    launch.image,
    ...launch.argv,
  ];
}

export async function runContainer(launch: ContainerLaunch): Promise<void> {
  await podman(runArgs(launch));
}

export interface ContainerState {
  readonly running: boolean;
  readonly status: string;
  readonly pid: number;
}

/** Whether each container runs and its init's PID on the host (its network namespace is that PID's). */
export async function inspectContainers(names: readonly string[]): Promise<Map<string, ContainerState>> {
  const found = new Map<string, ContainerState>();
  if (names.length === 0) return found;
  const { stdout } = await podman(
    [
      'container',
      'inspect',
      '--format',
      '{{.Name}} {{.State.Running}} {{.State.Status}} {{.State.Pid}}',
      ...names,
    ],
    { allowFailure: true },
  );
  for (const line of stdout.split('\n')) {
    const [name, running, status, pid] = line.trim().split(' ');
    if (name && status) found.set(name, { running: running === 'true', status, pid: Number(pid) });
  }
  return found;
}
