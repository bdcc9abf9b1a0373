/**
 * What `collect` reads over SNMP: the system group, the OS and version matched in sysDescr, the
 * ENTITY-MIB physical entities. A module of its own so net-snmp loads with the first collect run,
 * not with the task list (`--plan` of a large inventory).
 */
import { matchSysDescr } from '../../snmp/sysdescr.js';
import { openSnmpSession } from '../../snmp/session.js';
import { readEntities } from '../../snmp/entity.js';
import { readSystem } from '../../snmp/system.js';
import { sysDescrPatterns } from '../../platforms/registry.js';
import type { TaskContext } from '../task.js';
import type { DeviceReading } from './build-facts.js';

export interface SnmpReadingOptions {
  /** Time-out of one request, in ms. */
  readonly timeout: number;
  readonly retries: number;
  /** GETBULK max-repetitions of the ENTITY-MIB walk. */
  readonly maxRepetitions: number;
}

export async function readOverSnmp(ctx: TaskContext, p: SnmpReadingOptions): Promise<DeviceReading> {
  const session = await openSnmpSession(ctx.host, {
    secret: (ref) => ctx.secret(ref),
    signal: ctx.signal,
    timeoutMs: p.timeout,
    retries: p.retries,
  });
  try {
    const system = await readSystem(session);
    const entities = await readEntities(session, { maxRepetitions: p.maxRepetitions });
    return {
      source: 'snmp',
      system,
      os: matchSysDescr(system.descr, sysDescrPatterns(ctx.host.platform)),
      entities,
    };
  } finally {
    session.close();
  }
}
