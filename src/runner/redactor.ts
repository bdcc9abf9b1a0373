/**
 * Remembers every secret value resolved during a run and removes it from anything the run
 * writes (logs, step summaries and data, error messages): a device that echoes a password back,
 * or a task that puts one in an error, still never leaks it into a record or a mail.
 */
const mask = '********';

export class Redactor {
  readonly #values = new Set<string>();

  /** Secrets shorter than 4 characters would mask ordinary words; they are not worth the noise. */
  add(value: string): void {
    if (value.length >= 4) this.#values.add(value);
  }

  text(text: string): string {
    let result = text;
    for (const value of this.#values) result = result.split(value).join(mask);
    return result;
  }

  /** Any JSON-compatible value, deeply: strings are masked, structure is kept. */
  value<T>(value: T): T {
    if (this.#values.size === 0) return value;
    return this.#walk(value) as T;
  }

  #walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.#walk(v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.#walk(v)]));
    }
    return value;
  }
}
