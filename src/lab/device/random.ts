/** A small seeded PRNG (mulberry32): the same lab spec always yields the same devices, byte for byte. */
export interface Random {
  /** 0 <= n < 1 */
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Upper-case letters and digits, for serial numbers. */
  serial(prefix: string, length: number): string;
}

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
    serial: (prefix, length) => {
      let out = prefix;
      while (out.length < length) out += alphabet[int(0, alphabet.length - 1)];
      return out;
    },
  };
}

/** A stable 32-bit seed from a text (device name + lab seed). */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
