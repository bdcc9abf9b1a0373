// `npm run demo [-- --lab loopback|container]`: the nightly backup end to end on this machine. Brings
// up a lab, backs every device up over IPv4 and IPv6 with a mix of methods (TFTP via SSH, TFTP via
// SNMP, show), changes one device and backs up again, shows the git store, and takes the lab down.
//   loopback (default): simulated IOS and NX-OS devices on 127.0.0.1 and ::1, no privileges.
//   container (root):  one podman container per device (simulated IOS and NX-OS, real FRR) on the
//                      lab's own network; netops on the host reaches them on their own addresses.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';

const { values } = parseArgs({ options: { lab: { type: 'string', default: 'loopback' } } });
if (!['loopback', 'container'].includes(values.lab)) {
  console.error(`usage: npm run demo [-- --lab loopback|container]; not "${values.lab}"`);
  process.exit(2);
}
const dir = values.lab === 'container' ? '.netops/demo-container' : '.netops/demo';
// A state folder of its own (pinned host keys, the store's placeholder key): each demo lab is new.
const netops = (args, env = {}) =>
  spawnSync(process.execPath, ['dist/cli/bin.cjs', ...args], {
    stdio: 'inherit',
    env: { ...process.env, NETOPS_STATE_DIR: path.resolve(dir, 'state'), ...env },
  });
const say = (text) => console.log(`\n== ${text}`);
/** What `. FILE` would set, from a shell file of `export NAME='value'` lines. */
const envFile = (file) =>
  Object.fromEntries(
    [...readFileSync(file, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]),
  );

// A mix of methods: each device names the ones it supports, in order; FRR has only `show`.
const mixes = [['tftp-cli'], ['tftp-snmp'], ['show'], ['tftp-snmp', 'tftp-cli']];

/** The loopback lab: 6 devices; their TFTP goes to port 16969, where jobs/demo-backup.yaml listens. */
function loopbackLab() {
  say('bringing up the lab: 6 devices (ios, nxos) on 127.0.0.1 and ::1');
  const lab = `${dir}/lab`;
  if (netops(['lab', 'up', '--devices', '6', '--dir', lab, '--tftp-port', '16969']).status !== 0)
    process.exit(1);
  return {
    inventory: parse(readFileSync(`${lab}/inventory.yaml`, 'utf8')),
    env: envFile(`${lab}/lab.env`),
    jobs: { backup: 'jobs/demo-backup.yaml', change: 'jobs/demo-change.yaml' },
    down: () => netops(['lab', 'down', '--dir', lab]),
  };
}

/** A demo job for the container lab: the loopback demo's, with its inventory, store and TFTP server of its own. */
function containerJob(name, listen) {
  const job = parse(readFileSync(`jobs/${name}.yaml`, 'utf8'));
  job.inventory = 'inventory.yaml';
  job.records = 'runs';
  if (job.store) job.store.dir = 'store';
  if (listen) job.tftp = { ...job.tftp, listen };
  const file = `${dir}/${name}.yaml`;
  writeFileSync(file, stringify(job));
  return file;
}

/**
 * The container lab (root): 2 IOS, 2 NX-OS and 2 FRR routers peering over BGP. Devices send TFTP to
 * the host's own addresses on the lab network, port 69, where the demo job's server listens.
 */
function containerLab() {
  if (process.getuid?.() !== 0) {
    console.error(
      'the container lab needs root (podman with runc): run `sudo npm run demo -- --lab container`',
    );
    process.exit(2);
  }
  const lab = `${dir}/lab`;
  const spec = {
    devices: [
      { name: 'r1', platform: 'ios' },
      { name: 'n1', platform: 'nxos' },
      { name: 'r2', platform: 'ios' },
      { name: 'n2', platform: 'nxos' },
      { name: 'f1', platform: 'frr', asn: 65001, bgpNeighbors: ['f2'] },
      { name: 'f2', platform: 'frr', asn: 65002, bgpNeighbors: ['f1'] },
    ],
  };
  writeFileSync(`${dir}/lab-spec.yaml`, stringify(spec));
  say(
    'bringing up the container lab: 6 containers (ios, nxos, frr) on their own network (images built once)',
  );
  if (
    netops(['lab', 'up', '--mode', 'container', '--spec', `${dir}/lab-spec.yaml`, '--dir', lab]).status !== 0
  )
    process.exit(1);
  const { network } = JSON.parse(readFileSync(`${lab}/container-lab.json`, 'utf8'));
  const listen = [`${network.gateway.ipv4}:69`, `[${network.gateway.ipv6}]:69`];
  return {
    inventory: parse(readFileSync(`${lab}/container-inventory.yaml`, 'utf8')),
    env: envFile(`${lab}/container-lab.env`),
    jobs: { backup: containerJob('demo-backup', listen), change: containerJob('demo-change') },
    down: () => netops(['lab', 'down', '--dir', lab]),
  };
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const lab = values.lab === 'container' ? containerLab() : loopbackLab();
const hosts = Object.values(lab.inventory.hosts);
// The IPv6 twins (NAME-v6) start two mixes further on, so each method runs over both families.
const seen = { v4: 0, v6: 0 };
for (const [name, host] of Object.entries(lab.inventory.hosts)) {
  const family = name.endsWith('-v6') ? 'v6' : 'v4';
  const mix = host.groups?.includes('frr')
    ? ['show']
    : mixes[(seen[family]++ + (family === 'v6' ? 2 : 0)) % mixes.length];
  host.data = { ...host.data, backupMethods: mix };
}
const inventory = path.resolve(`${dir}/inventory.yaml`);
writeFileSync(inventory, stringify(lab.inventory));

let status = 0;
try {
  say(`nightly backup, first run (${hosts.length} hosts: every device over IPv4 and IPv6)`);
  status = netops(['run', lab.jobs.backup, '--inventory', inventory], lab.env).status;
  say('a change on r1 (config task), then the backup again: only r1 changes');
  netops(['run', lab.jobs.change, '--inventory', inventory, '--limit', 'r1', '--quiet'], lab.env);
  status = netops(['run', lab.jobs.backup, '--inventory', inventory], lab.env).status || status;
  const store = values.lab === 'container' ? `${dir}/store` : '.netops/demo/store';
  say(`the store: ${store}`);
  console.log(
    execFileSync('git', ['-C', store, 'log', '--stat', '--format=%n%h %s%n%b'], { encoding: 'utf8' }),
  );
} finally {
  say('taking the lab down');
  lab.down();
}
process.exit(status);
