/**
 * Values as one-line YAML flow collections (`{ address: 198.18.0.1, groups: [ core ] }`) for the
 * inventories imports write: thousands of hosts, one line each, written in a fraction of what a
 * YAML Document per host costs. A string stays plain only when it cannot be read as anything else
 * (the core schema's null, booleans and numbers, indicators, `: ` and ` #`); otherwise it is
 * double-quoted with JSON's escapes, which YAML reads the same.
 */
import { Schema } from 'yaml';

/** The plain scalars the YAML 1.2 core schema reads as null, a boolean or a number. */
const nonStrings: readonly RegExp[] = new Schema({ schema: 'core' }).tags.flatMap((tag) =>
  'test' in tag && tag.test && tag.default ? [tag.test] : [],
);

/**
 * Letters, digits and `_ . / @ + -`, with colons and single spaces only between them
 * (`2001:db8::2`, `PE in rack 4`; never `x:`, `a: b` or a trailing space).
 */
const plainSafe = /^[A-Za-z0-9_][A-Za-z0-9_./@+-]*(?:(?::+| )[A-Za-z0-9_./@+-]+)*$/;

/** A string as a YAML scalar: plain where that reads back as the same string, else double-quoted. */
export function yamlScalar(text: string): string {
  return plainSafe.test(text) && !nonStrings.some((test) => test.test(text)) ? text : JSON.stringify(text);
}

/** A value (as parsed from YAML or JSON) on one line. */
export function flowYaml(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return yamlScalar(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return String(value);
    return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  }
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map(flowYaml).join(', ')} ]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${yamlScalar(k)}: ${flowYaml(v)}`).join(', ')} }`;
  }
  return JSON.stringify(String(value));
}
