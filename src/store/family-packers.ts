/**
 * A run's new copies packed by family: the configs of hosts that look alike (one platform) go to a
 * `git fast-import` of their own (blob-packer.ts). fast-import deltas each blob against the one before
 * it in its stream and nothing else; in one stream for a mixed fleet that is mostly another
 * platform's config, so the delta search runs and fails. 1,000 configs of 50 KB, IOS and NX-OS
 * alternating, ACLs and route-maps alike within a platform: one stream took 2.2-2.5 s of git's CPU
 * for an 8.0 MiB pack, a stream per platform 0.70-0.76 s for 2.6 MiB.
 */
import { BlobPacker, type HeldBytes, type RunFastImport } from './blob-packer.js';

/**
 * Hosts a family needs for a git of its own: twice `fastimport.unpackLimit` (100), below which
 * fast-import writes what it read as loose objects, the cost the packers exist to spare. A run that
 * changes more than half of such a family still packs it; smaller families share one stream.
 */
export const FAMILY_MIN_HOSTS = 200;

/**
 * The packing family of each host: its own (`families`, e.g. its platform) when that family is large
 * enough, else the shared ''.
 */
export function packingFamilies(families: ReadonlyMap<string, string>): (host: string) => string {
  const sizes = new Map<string, number>();
  for (const family of families.values()) sizes.set(family, (sizes.get(family) ?? 0) + 1);
  return (host) => {
    const family = families.get(host);
    return family !== undefined && (sizes.get(family) ?? 0) >= FAMILY_MIN_HOSTS ? family : '';
  };
}

export class FamilyPackers {
  readonly #run: RunFastImport;
  /** One memory bound for what every family holds before git starts. */
  readonly #held: HeldBytes = { bytes: 0 };
  /** A handful (the platforms), each holding up to MAX_WAITING blobs once its git runs. */
  readonly #packers = new Map<string, BlobPacker>();
  #started = false;
  /** After `finish`, no family starts a git: none may work in the store once it is let go of. */
  #finished = false;

  constructor(run: RunFastImport) {
    this.#run = run;
  }

  get started(): boolean {
    return this.#started;
  }

  /** Starts a git for each family, and for each family seen later as it comes. */
  start(): void {
    this.#started = true;
    for (const packer of this.#packers.values()) packer.start();
  }

  /** BlobPacker#offer to the family's git: false when not taken. */
  offer(family: string, content: string | Buffer): boolean {
    return this.#packer(family)?.offer(content) ?? false;
  }

  /** BlobPacker#add to the family's git, once it has room (one caller at a time). */
  async add(family: string, content: string | Buffer): Promise<void> {
    await this.#packer(family)?.add(content);
  }

  /** Ends every family's git and waits for the packs; resolves with the first failure, if any. */
  async finish(): Promise<unknown> {
    this.#finished = true;
    const failures = await Promise.all([...this.#packers.values()].map((packer) => packer.finish()));
    return failures.find((failure) => failure !== undefined);
  }

  #packer(family: string): BlobPacker | undefined {
    let packer = this.#packers.get(family);
    if (packer === undefined && !this.#finished) {
      packer = new BlobPacker(this.#run, this.#held);
      this.#packers.set(family, packer);
      if (this.#started) packer.start();
    }
    return packer;
  }
}
