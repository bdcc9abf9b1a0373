/** Small commander option parsers shared by commands. */
import { InvalidArgumentError } from 'commander';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number from 1 up, got "${value}"`);
  return n;
}

/** `auto`, or a whole number from 1 up. */
export function positiveIntOrAuto(value: string): number | 'auto' {
  return value === 'auto' ? 'auto' : positiveInt(value);
}
