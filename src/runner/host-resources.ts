/**
 * The run's resources as one host sees them away from the store (a queue worker, a worker thread):
 * its own capture store under the store's key, every other resource shared with the run's other
 * hosts there (opened once, by whichever host asks first).
 */
import type { Closable } from '../tasks/task.js';

export class HostResources extends Map<string, Promise<Closable>> {
  readonly #shared: Map<string, Promise<Closable>>;
  readonly #ownKey: string;
  readonly #own: Promise<Closable>;

  constructor(shared: Map<string, Promise<Closable>>, ownKey: string, own: Closable) {
    super();
    this.#shared = shared;
    this.#ownKey = ownKey;
    this.#own = Promise.resolve(own);
  }

  override get(key: string): Promise<Closable> | undefined {
    return key === this.#ownKey ? this.#own : this.#shared.get(key);
  }

  override set(key: string, value: Promise<Closable>): this {
    this.#shared.set(key, value);
    return this;
  }

  override delete(key: string): boolean {
    return this.#shared.delete(key);
  }
}
