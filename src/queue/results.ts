/**
 * The coordinator's side of a run's results: reads the list workers append to (from the start, so
 * a resumed coordinator sees every result already there), keeps the first result per host (a host
 * re-queued after its worker died may be reported twice; it is done once), and fails the hosts of
 * a site that has had no live worker for the run's site timeout.
 */
import { NetopsError, type ErrorRecord } from '../core/errors.js';
import type { RedisCommands } from './redis-commands.js';
import { keys } from './names.js';
import { isLive, type HostDone, type WorkerAd } from './wire.js';

/** Either what a worker returned, or why no worker will. */
export type HostOutcome = { readonly done: HostDone } | { readonly failed: ErrorRecord };

const POLL_MS = 250;

export class ResultCollector {
  readonly #redis: RedisCommands;
  readonly #runId: string;
  readonly #siteTimeoutMs: number;
  readonly #outcomes = new Map<string, HostOutcome>();
  readonly #waiting = new Map<string, { site: string; resolve: (o: HostOutcome) => void }>();
  /** Per site with hosts waiting: since when it has had no live worker. */
  readonly #silentSince = new Map<string, number>();
  #cursor = 0;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> = Promise.resolve();
  /** Called for each host given up on (no worker): its job is taken off the queue. */
  readonly #onGiveUp: (host: string, site: string) => Promise<void>;

  constructor(
    redis: RedisCommands,
    runId: string,
    siteTimeoutMs: number,
    onGiveUp: (host: string, site: string) => Promise<void>,
  ) {
    this.#redis = redis;
    this.#runId = runId;
    this.#siteTimeoutMs = siteTimeoutMs;
    this.#onGiveUp = onGiveUp;
  }

  /** Reads what Redis already holds for the run, then keeps reading until stopped. */
  async start(): Promise<void> {
    await this.#readResults();
    this.#timer = setInterval(() => {
      this.#polling = this.#polling.then(() => this.#poll()).catch(() => undefined);
    }, POLL_MS);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#polling;
  }

  /** How many hosts have an outcome, and whether any is still awaited. */
  settled(): { readonly outcomes: number; readonly waiting: number } {
    return { outcomes: this.#outcomes.size, waiting: this.#waiting.size };
  }

  /** The host's outcome if Redis already holds it (a resumed run: nothing to enqueue). */
  known(host: string): HostOutcome | undefined {
    return this.#outcomes.get(host);
  }

  /** Resolves with the host's first outcome. */
  wait(host: string, site: string): Promise<HostOutcome> {
    const known = this.#outcomes.get(host);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.#waiting.set(host, { site, resolve }));
  }

  /** A host BullMQ gave up on (its worker died too often, or the worker could not run it). */
  fail(host: string, reason: ErrorRecord): void {
    this.#settle(host, { failed: reason });
  }

  /** Stops waiting for hosts of an interrupted run. */
  abandon(reason: ErrorRecord): void {
    for (const host of [...this.#waiting.keys()]) this.#settle(host, { failed: reason });
  }

  async #poll(): Promise<void> {
    await this.#readResults();
    if (this.#waiting.size > 0) await this.#checkSites();
  }

  async #readResults(): Promise<void> {
    const items = await this.#redis.lrange(keys.results(this.#runId), this.#cursor, -1);
    this.#cursor += items.length;
    for (const item of items) {
      const done = JSON.parse(item) as HostDone;
      this.#settle(done.host, { done });
    }
  }

  #settle(host: string, outcome: HostOutcome): void {
    if (this.#outcomes.has(host)) return;
    this.#outcomes.set(host, outcome);
    const waiter = this.#waiting.get(host);
    this.#waiting.delete(host);
    waiter?.resolve(outcome);
  }

  /** Fails the waiting hosts of every site that had no live worker for the site timeout. */
  async #checkSites(): Promise<void> {
    const at = Date.now();
    const ads = Object.values(await this.#redis.hgetall(keys.workers)).map((t) => JSON.parse(t) as WorkerAd);
    const live = new Set(ads.filter((ad) => isLive(ad, at)).map((ad) => ad.site));
    const sites = new Set([...this.#waiting.values()].map((w) => w.site));
    for (const site of sites) {
      if (live.has(site)) {
        this.#silentSince.delete(site);
        continue;
      }
      const since = this.#silentSince.get(site) ?? at;
      this.#silentSince.set(site, since);
      if (at - since >= this.#siteTimeoutMs) await this.#giveUp(site);
    }
  }

  async #giveUp(site: string): Promise<void> {
    const seconds = Math.round(this.#siteTimeoutMs / 1000);
    const failed = new NetopsError('NO_WORKER', `no worker for site ${site} within ${seconds}s`, {
      hint: `Start a worker on a machine that reaches site ${site}'s devices: netops worker --queue URL --site ${site}; or raise queue.site_timeout.`,
      details: { site },
    }).toJSON();
    for (const [host, waiter] of [...this.#waiting]) {
      if (waiter.site !== site) continue;
      await this.#onGiveUp(host, site).catch(() => undefined);
      this.#settle(host, { failed });
    }
  }
}
