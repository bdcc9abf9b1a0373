// netops against RANCID (Debian rancid 3.13): `rancid -t cisco` per device (clogin logs in and runs
// its show commands, the cisco parser writes HOST.new), `parallel` at a time through rancid_par as
// rancid-run's control_rancid does (`rancid_par -q -n PAR_COUNT -c 'rancid-fe "{}"'`). Every lab
// device is 127.0.0.1 on its own port, so each gets its own folder and .cloginrc (method, user,
// password), RANCID's way of setting per-device login details.
//   npm run bench -- rancid --devices 100 --parallel 20 --latency 20
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { timedProcess } from '../harness/timed-process.mjs';
import { completeConfigs, peerBench } from './compare.mjs';

const installed = () => spawnSync('sh', ['-c', 'command -v rancid && command -v rancid_par']).status === 0;

/** One folder per device: its .cloginrc (0600, as clogin requires) and, after the run, 127.0.0.1.new. */
function deviceFolders(lab, dir) {
  return lab.devices.map((device) => {
    const home = path.join(dir, device.name);
    mkdirSync(home);
    const cloginrc = path.join(home, '.cloginrc');
    writeFileSync(
      cloginrc,
      [
        `add method 127.0.0.1 {ssh:${device.ports.ssh}}`,
        `add user 127.0.0.1 ${lab.spec.username}`,
        `add password 127.0.0.1 {${lab.spec.password}} {${lab.spec.enableSecret}}`,
        'add sshcmd 127.0.0.1 {{ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR}}',
        '',
      ].join('\n'),
    );
    chmodSync(cloginrc, 0o600);
    return home;
  });
}

async function backup(lab, { dir, parallel }) {
  const list = path.join(dir, 'devices');
  writeFileSync(list, `${deviceFolders(lab, dir).join('\n')}\n`);
  const command = 'cd {} && HOME=$PWD rancid -t cisco 127.0.0.1';
  const run = await timedProcess('rancid_par', ['-q', '-n', String(parallel), '-c', command, list]);
  const version = spawnSync('rancid', ['-V'], { encoding: 'utf8' }).stdout.trim();
  return {
    ...run,
    saved: completeConfigs(lab, (d) => path.join(dir, d.name, '127.0.0.1.new')),
    note: `${version || 'rancid'}: rancid_par exit ${run.code}`,
    how: `rancid_par -q -n ${parallel} -c '${command}' (one folder and .cloginrc per device)`,
  };
}

export const { about, run } = peerBench({
  peer: 'RANCID',
  title: 'Backup (show running-config over SSH) against RANCID',
  install: 'sudo apt-get install rancid expect (or sudo bash scripts/install-deps.sh)',
  available: installed,
  backup,
  fasterBy: 5,
});
