// netops against Ansible (Debian ansible: ansible-core 2.14 with cisco.ios): `ansible-playbook -f
// PARALLEL` of bench/peers/ansible-backup.yaml (ios_config backup over network_cli) on an inventory
// of the lab's devices. Ansible's state (temp, persistent connection sockets) stays in the bench's
// folder; host keys are not checked, as netops trusts new ones. Its per-host connection daemons
// detach from ansible-playbook: they are reaped by bench/harness/subreaper.py so their CPU counts
// (idle once the playbook ends; the subreaper then ends them, after the wall time is taken). Their
// persistent_connect_timeout, how long a host waits for its daemon to start, is 120 s: 5 s failed
// every host and the default 30 s 86 of 100 on a machine at load 20-30.
//   npm run bench -- ansible --devices 100 --parallel 20 --latency 20
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { timedProcess } from '../harness/timed-process.mjs';
import { completeConfigs, peerBench } from './compare.mjs';

const playbookCommand = '/usr/bin/ansible-playbook';
const playbook = fileURLToPath(new URL('./ansible-backup.yaml', import.meta.url));

function ansibleVersion() {
  const probe = spawnSync(playbookCommand, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.split('\n')[0].trim() : undefined;
}

function writeInventory(lab, file) {
  const hosts = Object.fromEntries(
    lab.devices.map((d) => [d.name, { ansible_host: '127.0.0.1', ansible_port: d.ports.ssh }]),
  );
  const vars = {
    ansible_connection: 'ansible.netcommon.network_cli',
    ansible_network_os: 'cisco.ios.ios',
    ansible_user: lab.spec.username,
    ansible_password: lab.spec.password,
  };
  writeFileSync(file, stringify({ all: { children: { lab: { hosts, vars } } } }));
}

async function backup(lab, { dir, parallel }) {
  const inventory = path.join(dir, 'inventory.yaml');
  writeInventory(lab, inventory);
  const configs = path.join(dir, 'configs');
  const args = ['-i', inventory, '-f', String(parallel), '-e', `backup_dir=${configs}`, playbook];
  const run = await timedProcess(playbookCommand, args, {
    cwd: dir,
    reapDetached: true,
    env: {
      ANSIBLE_PERSISTENT_CONNECT_TIMEOUT: '120',
      ANSIBLE_HOST_KEY_CHECKING: 'False',
      ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'),
      ANSIBLE_PERSISTENT_CONTROL_PATH_DIR: path.join(dir, 'pc'),
      ANSIBLE_NOCOLOR: '1',
    },
  });
  const recap = /^(\S+)\s+: ok=.*$/m.exec(run.stdout);
  return {
    ...run,
    saved: completeConfigs(lab, (d) => path.join(configs, `${d.name}.cfg`)),
    note: `${ansibleVersion()}: exit ${run.code}${run.code ? `; ${run.stdout.split('\n').find((l) => /fatal|UNREACHABLE/.test(l)) ?? ''}` : ''}${recap ? '' : ' (no recap)'}`,
    how: `ansible-playbook -f ${parallel}, cisco.ios.ios_config backup: true over ansible.netcommon.network_cli (paramiko)`,
  };
}

export const { about, run } = peerBench({
  peer: 'Ansible',
  title: 'Backup (show running-config over SSH) against Ansible',
  install:
    'sudo apt-get install ansible (Debian: ansible-core with the cisco.ios collection; or sudo bash scripts/install-deps.sh)',
  available: () => ansibleVersion() !== undefined,
  backup,
  fasterBy: 3,
});
