// The inventory host netops would resolve for a loopback lab device, for benches that open CLI
// sessions directly (no inventory file, secrets given as values, new host keys trusted).
export function labHost(lab, device, via = 'ssh') {
  return {
    name: device.name,
    address: '127.0.0.1',
    port: via === 'ssh' ? device.ports.ssh : device.ports.telnet,
    family: undefined,
    platform: device.platform,
    transport: via,
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
