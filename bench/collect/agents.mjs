// Hosts N simulated devices' SNMP agents (the lab's agent, v2c, 127.0.0.1, one port each) in this
// process, each with a Nexus-like 60-row ENTITY table, prints their ports as one JSON line, and
// runs until its stdin closes. The collect benchmark starts it so clients and agents do not share
// an event loop.
import { startSnmpAgent } from '../../dist/lab/snmp/agent.js';

const count = Number(process.argv[2] ?? 1000);

function entities(n) {
  const rows = [];
  const row = (index, cls, containedIn, pos, name, model, serial) =>
    rows.push({
      index,
      descr: `${name} ${model}`,
      vendorType: '1.3.6.1.4.1.9.12.3.1.9.1',
      containedIn,
      class: cls,
      parentRelPos: pos,
      name,
      hardwareRev: model ? 'V01' : '',
      firmwareRev: '',
      softwareRev: cls === 3 ? '6.2(8b)' : '',
      serialNum: serial,
      mfgName: 'Cisco Systems, Inc.',
      modelName: model,
      alias: '',
      assetId: '',
      isFru: cls !== 3 && cls !== 5,
    });
  row(149, 3, 0, -1, 'Chassis', 'N7K-C7010', `TBM${n}`);
  for (let slot = 1; slot <= 10; slot++) {
    row(22 + slot * 2, 5, 149, slot, `Slot ${slot}`, '', '');
    row(
      23 + slot * 2,
      9,
      22 + slot * 2,
      1,
      `Module ${slot}`,
      slot === 5 || slot === 6 ? 'N7K-SUP2' : 'N7K-F248XP-25E',
      `JAF${n}${slot}`,
    );
  }
  for (let p = 1; p <= 3; p++)
    row(470 + p, 6, 149, 20 + p, `PowerSupply-${p}`, 'N7K-AC-6.0KW', `DTM${n}${p}`);
  for (let f = 1; f <= 4; f++)
    row(534 + f, 7, 149, 30 + f, `Fan Module-${f}`, 'N7K-C7010-FAN-S', `FOX${n}${f}`);
  for (let s = 1; s <= 32; s++) row(1000 + s, 8, 25, 100 + s, `Sensor ${s}`, '', '');
  return rows;
}

const started = Date.now();
const agents = [];
for (let n = 0; n < count; n++) {
  const table = entities(n);
  const device = {
    system: () => ({
      descr: 'Cisco NX-OS(tm) n7000, Software (n7000-s2-dk9), Version 6.2(8b), RELEASE SOFTWARE',
      objectId: '1.3.6.1.4.1.9.12.3.1.3.612',
      upTimeTicks: Math.floor((Date.now() - started) / 10),
      contact: '',
      name: `n7k-${n}`,
      location: 'bench',
      services: 70,
    }),
    entities: () => table,
    copyConfig: async () => undefined,
  };
  agents.push(
    await startSnmpAgent(device, {
      address: '127.0.0.1',
      port: 0,
      communities: { read: ['public'], write: [] },
    }),
  );
}
process.stdout.write(`${JSON.stringify(agents.map((a) => a.port))}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await Promise.all(agents.map((a) => a.close()));
  process.exit(0);
});
