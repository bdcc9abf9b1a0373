// `npm run demo`: the nightly backup end to end on this machine. Brings up the loopback lab
// (simulated IOS and NX-OS devices on 127.0.0.1 and ::1), backs every device up over IPv4 and IPv6
// with a mix of methods (TFTP via SSH, TFTP via SNMP, show), changes one device and backs up again,
// shows the git store, and takes the lab down.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const dir = '.netops/demo';
const netops = (args, env = {}) =>
  spawnSync(process.execPath, ['dist/cli/main.js', ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
const say = (text) => console.log(`\n== ${text}`);

rmSync(dir, { recursive: true, force: true });
say('bringing up the lab: 6 devices (ios, nxos) on 127.0.0.1 and ::1');
if (netops(['lab', 'up', '--devices', '6', '--dir', `${dir}/lab`, '--tftp-port', '16969']).status !== 0)
  process.exit(1);
// lab.env is a shell file (`export NAME='value'`): what `. lab/lab.env` would set.
const env = Object.fromEntries(
  [...readFileSync(`${dir}/lab/lab.env`, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [
    m[1],
    m[2],
  ]),
);

// A mix of methods: each device names the ones it supports, in order.
const inventory = parse(readFileSync(`${dir}/lab/inventory.yaml`, 'utf8'));
const mixes = [['tftp-cli'], ['tftp-snmp'], ['show'], ['tftp-snmp', 'tftp-cli']];
Object.values(inventory.hosts).forEach((host, i) => (host.data.backupMethods = mixes[i % mixes.length]));
writeFileSync(`${dir}/inventory.yaml`, stringify(inventory));

let status = 0;
try {
  say('nightly backup, first run (every device over IPv4 and IPv6)');
  status = netops(['run', 'jobs/demo-backup.yaml', '--inventory', `${dir}/inventory.yaml`], env).status;
  say('a change on r1 (config task), then the backup again: only r1 changes');
  netops(
    ['run', 'jobs/demo-change.yaml', '--inventory', `${dir}/inventory.yaml`, '--limit', 'r1', '--quiet'],
    env,
  );
  status =
    netops(['run', 'jobs/demo-backup.yaml', '--inventory', `${dir}/inventory.yaml`], env).status || status;
  say(`the store: ${dir}/store`);
  console.log(
    execFileSync('git', ['-C', `${dir}/store`, 'log', '--stat', '--format=%n%h %s%n%b'], {
      encoding: 'utf8',
    }),
  );
} finally {
  say('taking the lab down');
  netops(['lab', 'down', '--dir', `${dir}/lab`]);
}
process.exit(status);
