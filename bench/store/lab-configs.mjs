// What the store benches that compare builds share: their options (builds as positionals) and the
// configs they save, one distinct lab device per host (the generator is seeded by the device's
// name), IOS and NX-OS alternating, built by dist/'s lab.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Device } from '../../dist/lab/device/device.js';
import { root } from '../harness/results.mjs';

/** `--rounds --hosts --parallel --config-bytes` and the builds; `load(build, file)` imports a build's module. */
export function buildBenchOptions(defaults) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      rounds: { type: 'string', default: defaults.rounds },
      hosts: { type: 'string', default: defaults.hosts },
      parallel: { type: 'string', default: '100' },
      'config-bytes': { type: 'string', default: '50000' },
    },
  });
  return {
    values,
    builds: positionals.length > 0 ? positionals : ['dist'],
    hosts: Number(values.hosts),
    parallel: Number(values.parallel),
    load: (build, file) => import(pathToFileURL(path.resolve(root, build, file)).href),
  };
}

/** `hosts` lab devices of `configBytes` each: `{ name, platform, body }` (the body without a header). */
export function labDevices(hosts, configBytes) {
  return Array.from({ length: hosts }, (_, i) => {
    const platform = i % 2 === 0 ? 'ios' : 'nxos';
    const device = new Device({
      name: `sw${i}`,
      platform,
      seed: 1,
      sizeBytes: configBytes,
      username: 'admin',
      password: 'lab-password',
      enableSecret: 'lab-enable',
      readCommunity: 'lab-ro',
      writeCommunity: 'lab-rw',
      loopback: { ipv4: `10.254.${i >> 8}.${i & 255}`, ipv6: `fd00:254::${i.toString(16)}` },
      mgmt: { ipv4: `192.0.2.${(i % 250) + 2}`, ipv6: `2001:db8::${i.toString(16)}` },
      tftpSourceLoopback: false,
    });
    return { name: device.name, platform, body: device.body() };
  });
}
