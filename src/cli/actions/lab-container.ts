/**
 * What the container side of `netops lab` does (root, podman): `up --mode container [--spec FILE]`,
 * `status` and `down` of a container lab, `images build`, `exec DEVICE -- CMD` in a device's
 * container, and `doctor --mode container`. actions/lab.ts hands up/status/down over when the mode
 * or the lab folder says container; `exec` and `doctor` go to the netns lab otherwise.
 */
import { spawn } from 'node:child_process';
import { NetopsError } from '../../core/errors.js';
import { describeImpairment } from '../../lab/impair/impairment.js';
import { containerLabUp } from '../../lab/container/container-lab.js';
import { writeContainerInventory } from '../../lab/container/container-inventory.js';
import { containerLabDoctor } from '../../lab/container/doctor.js';
import { buildImages } from '../../lab/container/image-build.js';
import { podmanBin } from '../../lab/container/podman.js';
import { readContainerState } from '../../lab/container/state.js';
import { containerLabStatus, removeContainerLab } from '../../lab/container/teardown.js';
import { formatDoctor } from '../../lab/netns/doctor.js';
import { loadNetnsSpec, parseNetnsSpec } from '../../lab/netns/spec.js';
import { labDoctorAction as netnsDoctor, labExec as netnsExec } from './lab-netns.js';

const out = (text: string) => process.stdout.write(`${text}\n`);

/** Without --spec: one device of each kind. */
const defaultSpec = {
  devices: [
    { name: 'r1', platform: 'ios' },
    { name: 'n1', platform: 'nxos' },
    { name: 'f1', platform: 'frr' },
  ],
};

/** `netops lab up --mode container [--spec FILE] --dir DIR`. */
export async function containerUp(flags: { readonly spec?: string; readonly dir: string }): Promise<void> {
  const spec = flags.spec ? await loadNetnsSpec(flags.spec) : parseNetnsSpec(defaultSpec);
  const state = await containerLabUp(spec, { dir: flags.dir });
  const files = await writeContainerInventory(state);
  const { network } = state;
  out(
    `container lab ${state.id} up: ${state.devices.length} devices on podman network ${network.name} (${network.subnet.ipv4}, ${network.subnet.ipv6})`,
  );
  out(`inventory: ${files.inventory}; secrets: . ${files.env}`);
  out(`run netops here: netops run JOB --inventory ${files.inventory}`);
}

/** Prints the status of a container lab in `dir`; false when there is none. */
export async function containerStatus(dir: string, json = false): Promise<boolean> {
  const status = await containerLabStatus(dir);
  if (!status) return false;
  if (json) {
    out(JSON.stringify(status, null, 2));
    return true;
  }
  const { state } = status;
  out(
    `container lab ${state.id}: ${state.up ? 'up' : 'incomplete'}, network ${state.network.name} ${status.networkExists ? '' : '(missing) '}${state.network.subnet.ipv4} ${state.network.subnet.ipv6}`,
  );
  out('device      platform  state     ipv4            ipv6                    loopback        console');
  for (const d of status.devices) {
    const cols = [
      d.name.padEnd(11),
      d.platform.padEnd(9),
      d.status.padEnd(9),
      d.addresses.ipv4.padEnd(15),
      d.addresses.ipv6.padEnd(23),
      d.loopback.ipv4.padEnd(15),
      String(d.consolePort ?? '-'),
    ];
    out(cols.join(' '));
  }
  out(
    `terminal server ${state.network.terminalServer.ipv4} ${state.network.terminalServer.ipv6}: ${status.terminalServerRunning ? 'running' : 'stopped'}`,
  );
  for (const [name, impairment] of Object.entries(status.impairments)) {
    const relay = status.relaysStopped.includes(name) ? ' (its relay is not running)' : '';
    out(`${name} impaired: ${describeImpairment(impairment).join('; ')}${relay}`);
  }
  return true;
}

/** Removes the container lab recorded in `dir`; false when there is none. */
export async function containerDown(dir: string): Promise<boolean> {
  const result = await removeContainerLab(dir);
  if (result.id === undefined) return false;
  out(
    `container lab ${result.id} down: ${result.containers} containers and ${result.networks} network removed`,
  );
  return true;
}

export async function labImagesBuildAction(flags: { json?: boolean }): Promise<void> {
  const build = await buildImages();
  if (flags.json) {
    out(JSON.stringify(build, null, 2));
    return;
  }
  for (const image of build.images)
    out(
      image.cached
        ? `${image.name}: cached`
        : `${image.name}: built in ${image.seconds.toFixed(1)} s (log ${image.log ?? '-'})`,
    );
  for (const name of build.removed) out(`${name}: removed (superseded, no container uses it)`);
}

/** `lab exec`: in a container lab, `DEVICE CMD...` runs CMD in the device's container. */
export async function labExecAction(dir: string, argv: readonly string[]): Promise<void> {
  const state = await readContainerState(dir);
  if (!state) return netnsExec(dir, argv);
  const [device, ...command] = argv;
  const record = state.devices.find((d) => d.name === device);
  const container =
    record?.container ?? (device === 'terminal-server' ? state.terminalServer.container : undefined);
  if (!container || command.length === 0) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `lab exec: no device '${device ?? ''}' in container lab ${state.id}`,
      {
        hint: `Name a device and a command: netops lab exec --dir ${dir} DEVICE -- CMD (devices: ${state.devices.map((d) => d.name).join(', ')}, terminal-server).`,
      },
    );
  }
  const interactive = process.stdin.isTTY ? ['--interactive', '--tty'] : ['--interactive'];
  const child = spawn(podmanBin, ['--runtime', 'runc', 'exec', ...interactive, container, ...command], {
    stdio: 'inherit',
  });
  process.exitCode = await new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
}

export async function labDoctorAction(mode: string): Promise<void> {
  if (mode === 'netns') return netnsDoctor();
  if (mode !== 'container') {
    throw new NetopsError('CONFIG_INVALID', `lab doctor: unknown mode '${mode}'`, {
      hint: 'Use --mode netns or --mode container.',
    });
  }
  const report = await containerLabDoctor();
  process.stdout.write(formatDoctor(report, 'the container lab'));
  if (!report.ok) process.exitCode = 1;
}
