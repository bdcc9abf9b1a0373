/** Inventory over the CLI (`show version`, `show inventory`) for hosts whose SNMP fails. */
import { openCliSession } from '../../platforms/session.js';
import type { PhysicalEntity } from '../../facts/device-facts.js';
import type { OsInfo } from '../../facts/os-info.js';
import type { TaskContext } from '../task.js';
import { parseShowInventory, parseShowVersion } from './show-parsers.js';

export interface CliInventory {
  readonly descr: string;
  readonly hostname: string;
  readonly os: OsInfo;
  readonly upTimeTicks?: number;
  readonly entities: PhysicalEntity[];
}

export async function readOverCli(ctx: TaskContext): Promise<CliInventory> {
  const session = await openCliSession({
    host: ctx.host,
    secret: (ref) => ctx.secret(ref),
    signal: ctx.signal,
  });
  try {
    const version = parseShowVersion((await session.send('show version')).text);
    const entities = parseShowInventory((await session.send('show inventory')).text);
    return { ...version, entities };
  } finally {
    await session.close();
  }
}
