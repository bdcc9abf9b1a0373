/** Inventory over the CLI (the platform's `cliFacts`: `show version`, `show inventory`) for hosts whose SNMP fails. */
import type { Host } from '../../config/model.js';
import { NetopsError } from '../../core/errors.js';
import { platformNamed } from '../../platforms/registry.js';
import type { CliFacts } from '../../platforms/cli-facts.js';
import type { PhysicalEntity } from '../../facts/device-facts.js';
import type { OsInfo } from '../../facts/os-info.js';
import { withCliSession } from '../cli-session.js';
import type { TaskContext } from '../task.js';

export interface CliInventory {
  readonly descr: string;
  readonly hostname: string;
  readonly os: OsInfo;
  readonly upTimeTicks?: number;
  readonly entities: PhysicalEntity[];
}

/** The host's platform's way of reading its inventory over the CLI; undefined when it has none. */
export function cliFactsOf(host: Host): CliFacts | undefined {
  return platformNamed(host.platform, host.name).cliFacts;
}

export async function readOverCli(ctx: TaskContext): Promise<CliInventory> {
  const reader = cliFactsOf(ctx.host);
  if (!reader) {
    throw new NetopsError(
      'CONFIG_INVALID',
      `platform ${ctx.host.platform} of ${ctx.host.name} reads no inventory over the CLI`,
      { hint: 'Collect this host over SNMP only (no `fallback: cli`).', host: ctx.host.name },
    );
  }
  return withCliSession(ctx, {}, async (session) => {
    const version = reader.version.parse((await session.send(reader.version.command)).text);
    const entities = reader.inventory.parse((await session.send(reader.inventory.command)).text);
    return { ...version, entities };
  });
}
