// What 1,000 simulated devices' SNMP agents cost one process: RSS, heap and file descriptors per
// agent, each agent listening on 127.0.0.1 and ::1 like a loopback-lab device, with a 20-row
// ENTITY table. Then one agent among them is walked with snmpbulkwalk to show they all still answer.
// Run: npm run build && node --expose-gc bench/lab/snmp-agents.mjs
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { startSnmpAgent } from '../../dist/lab/snmp/agent.js';

const run = promisify(execFile);
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const fds = () => readdirSync('/proc/self/fd').length;

function view(n) {
  const entities = Array.from({ length: 20 }, (_, i) => ({
    index: i + 1,
    descr: i === 0 ? 'Cisco ISR4331 Chassis' : `Module ${i}`,
    vendorType: '1.3.6.1.4.1.9.12.3.1.3.1649',
    containedIn: i === 0 ? 0 : 1,
    class: i === 0 ? 3 : 9,
    parentRelPos: i === 0 ? -1 : i,
    name: i === 0 ? 'Chassis' : `module ${i}`,
    hardwareRev: 'V01',
    firmwareRev: '',
    softwareRev: '16.9.4',
    serialNum: `FDO${String(n).padStart(5, '0')}${String(i).padStart(3, '0')}`,
    mfgName: 'Cisco Systems, Inc.',
    modelName: 'ISR4331/K9',
    alias: '',
    assetId: '',
    isFru: i !== 0,
  }));
  const started = Date.now();
  return {
    system: () => ({
      descr: 'Cisco IOS Software [Fuji], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 16.9.4',
      objectId: '1.3.6.1.4.1.9.1.1861',
      upTimeTicks: Math.floor((Date.now() - started) / 10),
      contact: '',
      name: `r${n}`,
      location: '',
      services: 78,
    }),
    entities: () => entities,
    copyConfig: async () => {},
  };
}

function measure() {
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, fds: fds() };
}

const agents = [];
const base = measure();
console.log(`baseline (no agents): RSS ${mib(base.rss)}, heap ${mib(base.heapUsed)}, ${base.fds} fds`);
for (const target of [100, 1000]) {
  while (agents.length < target) {
    agents.push(
      await startSnmpAgent(view(agents.length), {
        address: ['127.0.0.1', '::1'],
        port: 0,
        communities: { read: ['public'], write: ['private'] },
        v3Users: [{ name: 'netops', level: 'authPriv', authKey: 'auth-pass-123', privKey: 'priv-pass-456' }],
      }),
    );
  }
  const m = measure();
  const per = (a, b) => (a - b) / target;
  console.log(
    `${target} agents: RSS ${mib(m.rss)} (+${(per(m.rss, base.rss) / 1024).toFixed(1)} KiB/agent), ` +
      `heap ${mib(m.heapUsed)} (+${(per(m.heapUsed, base.heapUsed) / 1024).toFixed(1)} KiB/agent), ` +
      `${m.fds} fds (+${per(m.fds, base.fds).toFixed(2)}/agent)`,
  );
}

const last = agents.at(-1);
const t0 = process.hrtime.bigint();
const walk = await run('snmpbulkwalk', [
  '-v2c',
  '-c',
  'public',
  '-On',
  `udp6:[::1]:${last.port}`,
  '1.3.6.1.2.1.47.1.1.1.1',
]);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(
  `snmpbulkwalk of entPhysicalTable on agent #1000 over udp6: ${walk.stdout.trim().split('\n').length} varbinds in ${ms.toFixed(0)} ms`,
);

const c0 = process.hrtime.bigint();
await Promise.all(agents.map((a) => a.close()));
console.log(
  `closed 1000 agents in ${(Number(process.hrtime.bigint() - c0) / 1e6).toFixed(0)} ms; ${fds()} fds left`,
);
