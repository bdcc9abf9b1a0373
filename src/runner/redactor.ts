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
    for (const value of this.#values) if (result.includes(value)) result = result.split(value).join(mask);
    return result;
  }

  /**
   * Any JSON-compatible value, deeply: strings are masked, structure is kept. Arrays and objects
   * with nothing to mask come back as they are (every step's result passes here: no copy of each).
   */
  value<T>(value: T): T {
    if (this.#values.size === 0) return value;
    return this.#walk(value) as T;
  }

  #walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((v: unknown, i) => {
        const walked = this.#walk(v);
        if (walked !== v) (copy ??= [...(value as unknown[])])[i] = walked;
      });
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const [key, v] of Object.entries(value)) {
      const walked = this.#walk(v);
      if (walked !== v) (copy ??= { ...value })[key] = walked;
    }
    return copy ?? value;
  }
}
