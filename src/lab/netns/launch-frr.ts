/**
 * Starts one real (frr) device in its namespace: FRR's zebra, staticd and bgpd, OpenSSH's sshd and
 * inetd/telnetd with vtysh as the user's login shell, and net-snmp's snmpd. Each process is recorded
 * in the state file as soon as it has a PID.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { run } from './command.js';
import { prepareFrr, frrPaths, type FrrIds } from './frr.js';
import { frrServices } from './frr-services.js';
import { withDeviceEtc, writeLoginUser } from './login-user.js';
import { startInNamespace } from './processes.js';
import { listensOn, type ReadyCheck } from './readiness.js';
import type { NetnsSpec } from './spec.js';
import type { LabDeviceRecord, StateWriter } from './state.js';

export interface FrrDeviceLaunch {
  readonly record: LabDeviceRecord;
  readonly dir: string;
  readonly asn: number;
  readonly neighbors: readonly { readonly address: string; readonly asn: number }[];
  /** Login user's uid inside the namespace. */
  readonly uid: number;
}

async function idOf(kind: 'passwd' | 'group', name: string): Promise<number> {
  const { stdout } = await run('getent', [kind, name], { allowFailure: true });
  const id = Number(stdout.split(':')[2]);
  if (!Number.isInteger(id)) {
    throw new NetopsError(
      'LAB_FAILED',
      `the ${kind === 'passwd' ? 'user' : 'group'} ${name} does not exist`,
      {
        hint: 'Install FRR (`npm run lab:deps`), which creates the frr user and the frr and frrvty groups.',
      },
    );
  }
  return id;
}

export async function frrIds(): Promise<FrrIds> {
  const [frrUid, frrGid, vtyGid] = await Promise.all([
    idOf('passwd', 'frr'),
    idOf('group', 'frr'),
    idOf('group', 'frrvty'),
  ]);
  return { frrUid, frrGid, vtyGid };
}

export async function launchFrrDevice(
  launch: FrrDeviceLaunch,
  spec: NetnsSpec,
  ids: FrrIds,
  state: StateWriter,
): Promise<ReadyCheck> {
  const { record, dir } = launch;
  const frrDir = path.join(dir, 'frr');
  await mkdir(frrDir, { recursive: true });
  const daemons = await prepareFrr(
    frrDir,
    {
      name: record.name,
      asn: launch.asn,
      routerId: record.loopback.ipv4,
      loopback: record.loopback,
      neighbors: launch.neighbors,
      username: spec.username,
    },
    ids,
  );
  await writeLoginUser(dir, {
    name: spec.username,
    password: spec.password,
    uid: launch.uid,
    gid: ids.vtyGid,
    home: dir,
    shell: frrPaths(frrDir).loginShell,
  });
  const services = await frrServices(dir, spec, record, daemons, {
    name: 'netns lab',
    loginArgv: (argv) => withDeviceEtc(dir, argv),
  });
  const processes = [];
  for (const service of services) {
    const p = await startInNamespace({
      name: `${record.name}/${service.role}`,
      namespace: record.namespace,
      argv: service.argv,
      log: path.join(dir, `${service.role}.log`),
    });
    await state.update((s) => void s.processes.push(p));
    processes.push(p);
  }
  return {
    what: record.name,
    processes,
    ready: listensOn(record.namespace, ['tcp:22', 'tcp:23', 'tcp:179', 'udp:161']),
  };
}
