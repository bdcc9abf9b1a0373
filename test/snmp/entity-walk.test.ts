/**
 * The ENTITY-MIB walk reads its columns together: a 60-row table in 3 GETBULK requests at
 * max-repetitions 25 (a column-by-column walk takes 40), and every cell of a table too large for
 * one response (the lab agent shortens answers past its byte budget, as RFC 3416 lets agents do).
 * The lab agent counts requests through its device view: it reads the entity rows once per request.
 */
import { describe, expect, it } from 'vitest';
import { readEntities } from '../../src/snmp/entity.js';
import { openSnmpSession } from '../../src/snmp/session.js';
import { startSnmpAgent } from '../../src/lab/snmp/agent.js';
import type { EntityRow } from '../../src/lab/snmp/device-view.js';
import { useStarted } from '../helpers/fixture.js';
import { plainSecret, snmpHost } from './hosts.js';

function rows(count: number): EntityRow[] {
  return Array.from({ length: count }, (_, i) => ({
    index: i === 0 ? 1 : 1000 + i * 3, // sparse indexes, as real chassis number their entities
    descr: i === 0 ? 'Nexus 7010 Chassis' : `Module ${i} 48x10GE with a long description ${'x'.repeat(40)}`,
    vendorType: '1.3.6.1.4.1.9.12.3.1.9.1',
    containedIn: i === 0 ? 0 : 1,
    class: i === 0 ? 3 : 9,
    parentRelPos: i === 0 ? -1 : i,
    name: i === 0 ? 'Chassis' : `module ${i}`,
    hardwareRev: 'V02',
    firmwareRev: '',
    softwareRev: '',
    serialNum: `JAF${String(i).padStart(8, '0')}`,
    mfgName: 'Cisco Systems, Inc.',
    modelName: i === 0 ? 'N7K-C7010' : 'N7K-F248XP-25E',
    alias: '',
    assetId: '',
    isFru: i !== 0,
  }));
}

function agentWith(table: EntityRow[]) {
  let requests = 0;
  const device = {
    system: () => ({
      descr: 'Cisco NX-OS(tm) n7000, Software (n7000-s2-dk9), Version 6.2(8b), RELEASE SOFTWARE',
      objectId: '1.3.6.1.4.1.9.12.3.1.3.612',
      upTimeTicks: 100,
      contact: '',
      name: 'n7k',
      location: '',
      services: 70,
    }),
    entities: () => {
      requests++;
      return table;
    },
    copyConfig: async () => undefined,
  };
  return {
    requests: () => requests,
    start: () =>
      startSnmpAgent(device, { address: '127.0.0.1', port: 0, communities: { read: ['public'], write: [] } }),
  };
}

async function walk(port: number, maxRepetitions: number) {
  const host = snmpHost('n7k', '127.0.0.1', { version: '2c', community: { value: 'public' }, port });
  const session = await openSnmpSession(host, { secret: plainSecret });
  try {
    return await readEntities(session, { maxRepetitions });
  } finally {
    session.close();
  }
}

const expected = (table: EntityRow[]) =>
  table.map((row) => ({
    index: row.index,
    name: row.name,
    descr: row.descr,
    serial: row.serialNum,
    model: row.modelName,
    containedIn: row.containedIn,
    parentRelPos: row.parentRelPos,
    isFru: row.isFru,
  }));

describe('ENTITY-MIB columns walked together', () => {
  const sixty = agentWith(rows(60));
  const sixtyAgent = useStarted(() => sixty.start());
  const large = agentWith(rows(300));
  const largeAgent = useStarted(() => large.start());

  it('reads a 60-row table in 3 GETBULK requests at max-repetitions 25', async () => {
    const before = sixty.requests();
    const entities = await walk(sixtyAgent.port, 25);
    expect(entities).toMatchObject(expected(rows(60)));
    expect(sixty.requests() - before).toBe(3);
  });

  it('reads every cell of a table whose answers the agent shortens to fit its message size', async () => {
    const before = large.requests();
    const entities = await walk(largeAgent.port, 200);
    expect(entities).toHaveLength(300);
    expect(entities).toMatchObject(expected(rows(300)));
    // 300 rows x 17 columns of about 60 bytes do not fit the agent's 32 KB answers: more than one.
    expect(large.requests() - before).toBeGreaterThan(2);
  });
});
