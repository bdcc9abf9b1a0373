/**
 * Device types of other tools to netops platform names. Each importer brings its own table; a user
 * map (`--platform-map TYPE=PLATFORM`) is looked at first, so a site's own types need no code.
 */
import type { ImportCollector } from './collector.js';
import type { ImportOrigin } from './imported.js';

export type PlatformTable = Readonly<Record<string, string>>;

export interface PlatformLookup {
  /** The importer's own table, keys in lower case. */
  readonly table: PlatformTable;
  /** The user's map; wins over the table. Keys compared in lower case. */
  readonly overrides?: PlatformTable | undefined;
  /** How the source calls the field, for the problem's message: `device type`, `ansible_network_os`. */
  readonly field: string;
}

/** The platform for a source type, or undefined with a problem naming the type and where it was. */
export function mapPlatform(
  type: string,
  lookup: PlatformLookup,
  at: { readonly collector: ImportCollector; readonly origin: ImportOrigin; readonly host: string },
): string | undefined {
  const key = type.toLowerCase();
  const override = Object.entries(lookup.overrides ?? {}).find(([from]) => from.toLowerCase() === key);
  const platform = override?.[1] ?? lookup.table[key];
  if (platform !== undefined) return platform;
  at.collector.problem({
    origin: at.origin,
    host: at.host,
    message: `${lookup.field} "${type}" of ${at.host} has no netops platform; imported without one`,
    hint: `Map it with --platform-map ${type}=PLATFORM (ios, nxos, frr), or set the host's platform in the inventory.`,
  });
  return undefined;
}
