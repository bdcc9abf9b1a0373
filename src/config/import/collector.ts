/**
 * Gathers what an importer maps, so that every importer keeps the same promises: names valid for
 * the inventory and unique, a duplicate reported with both lines instead of silently merged, and
 * every problem kept with its origin.
 */
import { namePattern } from '../inventory-schema.js';
import type {
  ImportedCredentials,
  ImportedGroup,
  ImportedHost,
  ImportOrigin,
  ImportProblem,
  ImportResult,
} from './imported.js';

/** A name the inventory accepts: other characters become `-`, at most 63 characters. */
export function inventoryName(wanted: string): string {
  let name = wanted.replace(/[^A-Za-z0-9_.@-]/g, '-').slice(0, 63);
  if (!/^[A-Za-z0-9]/.test(name)) name = `x${name}`.slice(0, 63);
  return name;
}

export class ImportCollector {
  readonly #source: string;
  readonly #hosts = new Map<string, ImportedHost>();
  readonly #groups = new Map<string, ImportedGroup>();
  readonly #credentials = new Map<string, ImportedCredentials>();
  readonly #problems: ImportProblem[] = [];

  constructor(source: string) {
    this.#source = source;
  }

  problem(problem: ImportProblem): void {
    this.#problems.push(problem);
  }

  /**
   * The inventory name for a source name. A name that had to change is reported unless the caller
   * says nothing is lost (a RANCID device named by its address keeps that address).
   */
  name(wanted: string, origin: ImportOrigin, what: 'host' | 'group', quiet = false): string {
    if (namePattern.test(wanted)) return wanted;
    const name = inventoryName(wanted);
    if (!quiet)
      this.problem({
        origin,
        ...(what === 'host' ? { host: name } : {}),
        message: `${what} name "${wanted}" is not a valid inventory name; imported as "${name}"`,
        hint: 'Inventory names are letters, digits and _ . @ - (up to 63); rename it in the source or keep the new name.',
      });
    return name;
  }

  /** Adds a host; a second host of the same name is reported and the first one kept. */
  host(host: ImportedHost): boolean {
    const first = this.#hosts.get(host.name);
    if (first) {
      this.problem({
        origin: host.origin,
        host: host.name,
        message: `host ${host.name} is listed again (first at ${first.origin}); the first entry is kept`,
        hint: 'Remove or rename one of the two entries in the source.',
      });
      return false;
    }
    this.#hosts.set(host.name, host);
    return true;
  }

  /** Replaces a host already added, keeping its place (credentials found after every host is read). */
  update(host: ImportedHost): void {
    if (this.#hosts.has(host.name)) this.#hosts.set(host.name, host);
  }

  /** Adds a group, or adds parents to one already seen (a group may be declared in several places). */
  group(name: string, origin: ImportOrigin, parents: readonly string[] = []): void {
    const known = this.#groups.get(name);
    const merged = [...(known?.parents ?? []), ...parents.filter((p) => !known?.parents.includes(p))];
    this.#groups.set(name, { name, parents: merged, origin: known?.origin ?? origin });
  }

  credentials(set: ImportedCredentials): void {
    if (!this.#credentials.has(set.name)) this.#credentials.set(set.name, set);
  }

  result(): ImportResult {
    return {
      source: this.#source,
      hosts: [...this.#hosts.values()],
      groups: [...this.#groups.values()],
      credentials: [...this.#credentials.values()],
      problems: this.#problems,
    };
  }
}
