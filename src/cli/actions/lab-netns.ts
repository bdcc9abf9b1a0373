/**
 * What the netns side of `netops lab` does (root only): `up --mode netns --spec FILE`, `status` and
 * `down` of a netns lab, `lab exec -- CMD...` in its management namespace, and `lab doctor`.
 * actions/lab.ts hands up/status/down over when the mode or the lab folder says netns.
 */
import { spawn } from 'node:child_process';
import { NetopsError } from '../../core/errors.js';
import { describeImpairment } from '../../lab/impair/impairment.js';
import { formatDoctor, labDoctor } from '../../lab/netns/doctor.js';
import { netnsLabUp } from '../../lab/netns/netns-lab.js';
import { writeNetnsInventory } from '../../lab/netns/netns-inventory.js';
import { loadNetnsSpec } from '../../lab/netns/spec.js';
import { readState } from '../../lab/netns/state.js';
import { netnsLabDown, netnsLabStatus } from '../../lab/netns/teardown.js';

const out = (text: string) => process.stdout.write(`${text}\n`);

/** `netops lab up --mode netns --spec FILE --dir DIR`. */
export async function netnsUp(flags: { readonly spec?: string; readonly dir: string }): Promise<void> {
  if (!flags.spec) {
    throw new NetopsError('CONFIG_INVALID', '--mode netns needs --spec FILE', {
      hint: 'Write a lab spec (docs/examples/lab-netns.yaml is one) and pass it with --spec.',
    });
  }
  const state = await netnsLabUp(await loadNetnsSpec(flags.spec), { dir: flags.dir });
  const files = await writeNetnsInventory(state);
  out(`netns lab ${state.id} up: ${state.devices.length} devices, management namespace ${state.management}`);
  out(`inventory: ${files.inventory}; secrets: . ${files.env}`);
  out(`run netops there: netops lab exec --dir ${flags.dir} -- netops run JOB`);
}

/** Prints the status of a netns lab in `dir`; false when there is none (the loopback lab's turn). */
export async function netnsStatus(dir: string, json = false): Promise<boolean> {
  const status = await netnsLabStatus(dir);
  if (!status) return false;
  if (json) {
    out(JSON.stringify(status, null, 2));
    return true;
  }
  out(
    `netns lab ${status.id}: ${status.up ? 'up' : 'incomplete'}, management namespace ${status.management}`,
  );
  if (status.missingNamespaces.length > 0) out(`missing namespaces: ${status.missingNamespaces.join(', ')}`);
  out('device      platform  health    ipv4            ipv6                 loopback        console');
  for (const d of status.devices) {
    const cols = [
      d.name.padEnd(11),
      d.platform.padEnd(9),
      d.health.padEnd(9),
      d.addresses.ipv4.padEnd(15),
      d.addresses.ipv6.padEnd(20),
      d.loopback.ipv4.padEnd(15),
      String(d.consolePort ?? '-'),
    ];
    out(`${cols.join(' ')}${d.stopped.length > 0 ? `  stopped: ${d.stopped.join(', ')}` : ''}`);
  }
  for (const service of status.services) out(`${service.name}: ${service.alive ? 'running' : 'stopped'}`);
  for (const [name, impairment] of Object.entries(status.impairments))
    out(`${name} impaired: ${describeImpairment(impairment).join('; ')}`);
  return true;
}

/** Tears down the netns lab recorded in `dir`; false when there is none. */
export async function netnsDown(dir: string): Promise<boolean> {
  const result = await netnsLabDown(dir);
  if (result.id === undefined) return false;
  out(
    `netns lab ${result.id} down: ${result.namespaces} namespaces and ${result.processes} processes removed`,
  );
  return true;
}

export async function labExec(dir: string, argv: readonly string[]): Promise<void> {
  const state = await readState(dir);
  if (!state) {
    throw new NetopsError('LAB_FAILED', `no netns lab recorded in ${dir}`, {
      hint: 'Start one with `netops lab up --mode netns --spec FILE`, or pass its folder with --dir.',
    });
  }
  const child = spawn('ip', ['netns', 'exec', state.management, ...argv], { stdio: 'inherit' });
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 128 : 1))),
  );
  process.exitCode = code;
}

export async function labDoctorAction(): Promise<void> {
  const report = await labDoctor();
  process.stdout.write(formatDoctor(report));
  if (!report.ok) process.exitCode = 1;
}
