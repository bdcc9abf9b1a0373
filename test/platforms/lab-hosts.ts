/** Inventory hosts and task contexts for tests against the loopback lab. */
import type { Host, SecretRef } from '../../src/config/model.js';
import type { Lab, LabDevice } from '../../src/lab/loopback-lab.js';
import type { TaskContext } from '../../src/tasks/task.js';

export function labHost(lab: Lab, device: LabDevice, address = '::1'): Host {
  return {
    name: device.name,
    address,
    port: device.ports.ssh,
    family: undefined,
    platform: device.platform,
    transport: 'ssh',
    console: undefined,
    snmp: undefined,
    credentials: {
      name: 'lab',
      username: lab.spec.username,
      password: { value: lab.spec.password },
      enable: { value: lab.spec.enableSecret },
    },
    ssh: { legacyAlgorithms: false, trustNewHostKey: true },
    groups: [],
    data: {},
  };
}

export function taskContext(host: Host, dir: string): TaskContext {
  return {
    host,
    signal: AbortSignal.timeout(20_000),
    job: { name: 'test', dir, settings: {} },
    secret: async (ref: SecretRef) => ('value' in ref ? ref.value : ''),
    resource: () => Promise.reject(new Error('no resources in this test')),
    log: () => undefined,
  };
}
