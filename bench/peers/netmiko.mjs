// netops against Netmiko (Debian python3-netmiko 2.4, Debian's /usr/bin/python3): a thread pool of
// `parallel` workers, each ConnectHandler + `show running-config` (bench/peers/netmiko-backup.py).
//   npm run bench -- netmiko --devices 100 --parallel 20 --latency 20
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timedProcess } from '../harness/timed-process.mjs';
import { completeConfigs, peerBench } from './compare.mjs';

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('./netmiko-backup.py', import.meta.url));

function netmikoVersion() {
  const probe = spawnSync(python, ['-c', 'import netmiko; print(netmiko.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

async function backup(lab, { dir, parallel }) {
  const job = {
    parallel,
    out: dir,
    username: lab.spec.username,
    password: lab.spec.password,
    hosts: lab.devices.map((d) => ({ name: d.name, port: d.ports.ssh })),
  };
  const run = await timedProcess(python, [script], { input: JSON.stringify(job) });
  const failures = run.stderr.split('\n').filter(Boolean);
  return {
    ...run,
    saved: completeConfigs(lab, (d) => path.join(dir, `${d.name}.cfg`)),
    note: `Netmiko ${netmikoVersion()}: exit ${run.code}, ${failures.length} devices failed${failures.length ? ` (first: ${failures[0]})` : ''}`,
    how: `ThreadPoolExecutor(max_workers=${parallel}), ConnectHandler(device_type="cisco_ios") with default timing, send_command("show running-config")`,
  };
}

export const { about, run } = peerBench({
  peer: 'Netmiko',
  title: 'Backup (show running-config over SSH) against Netmiko',
  install:
    'sudo apt-get install python3-netmiko (or sudo bash scripts/install-deps.sh); it must import from /usr/bin/python3',
  available: () => netmikoVersion() !== undefined,
  backup,
  fasterBy: 3,
});
