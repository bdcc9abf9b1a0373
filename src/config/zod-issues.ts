/**
 * Turns zod's issues into ConfigIssues with file positions and messages in the form
 * "expected X, found Y", naming the known fields when an unknown one appears.
 */
import type { z } from 'zod';
import type { ConfigIssue } from './diagnostics.js';
import type { YamlSource } from './yaml-source.js';

/**
 * How a file's values are parsed: once per process, so without zod's fast path (a function it
 * generates and compiles per object schema on the first parse), which costs more than one parse saves.
 */
export const parseOnce = { jitless: true } as const;

export function zodToIssues(
  source: YamlSource,
  error: z.ZodError,
  schema: z.ZodType,
  basePath: readonly PropertyKey[] = [],
): ConfigIssue[] {
  const root = valueAt(source.data, basePath);
  return error.issues.flatMap((issue) =>
    toConfigIssues(source, schema, issue, [...basePath, ...issue.path], valueAt(root, issue.path)),
  );
}

/** One zod issue at `path` (in the file) where the file has `found`. */
function toConfigIssues(
  source: YamlSource,
  schema: z.ZodType,
  issue: z.core.$ZodIssue,
  path: readonly PropertyKey[],
  found: unknown,
): ConfigIssue[] {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema, issue.path);
      return issue.keys.map((key) =>
        source.issue(
          [...path, key],
          `unknown field "${key}"${known.length ? `; expected one of: ${known.join(', ')}` : ''}`,
          'Remove the field or fix its spelling.',
          true,
        ),
      );
    }
    case 'invalid_key': {
      // A mapping key (host, group or credentials name) is wrong: point at the key itself.
      const reason = issue.issues[0]?.message ?? 'invalid name';
      return [source.issue(path, `${reason}, found ${describe(issue.path.at(-1))}`, 'Rename it.', true)];
    }
    case 'invalid_type':
      return [
        found === undefined
          ? source.issue(
              path,
              `required field is missing (expected ${expectedName(issue.expected)})`,
              `Add \`${String(path.at(-1))}\` here.`,
            )
          : source.issue(
              path,
              `expected ${expectedName(issue.expected)}, found ${describe(found)}`,
              formatHint,
            ),
      ];
    case 'invalid_value':
      return [
        source.issue(
          path,
          `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describe(found)}`,
          'Use one of the listed values.',
        ),
      ];
    case 'too_small':
    case 'too_big':
      return [
        source.issue(path, `${expectedRange(issue)}, found ${describe(found)}`, 'Use a value in range.'),
      ];
    case 'invalid_union': {
      // The one alternative of the right type (a mapping where a path or a mapping may go) says best what is wrong.
      const fitting = issue.errors.filter((branch) => !branch.every(isTypeMismatch));
      const [only] = fitting;
      if (fitting.length === 1 && only)
        return only.flatMap((inner) =>
          toConfigIssues(
            source,
            schema,
            { ...inner, path: [...issue.path, ...inner.path] },
            [...path, ...inner.path],
            valueAt(found, inner.path),
          ),
        );
      return [source.issue(path, withFound(issue.message, found), formatHint)];
    }
    default:
      return [source.issue(path, withFound(issue.message, found), formatHint)];
  }
}

/** The value is not of an alternative's type at all (and so says nothing about what was meant). */
function isTypeMismatch(issue: z.core.$ZodIssue): boolean {
  if (issue.path.length > 0) return false;
  if (issue.code === 'invalid_type') return true;
  return issue.code === 'invalid_union' && issue.errors.every((branch) => branch.every(isTypeMismatch));
}

/** `expected a number >= 1`, `expected a list of length <= 3`. */
function expectedRange(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const op = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  const what =
    issue.origin === 'number'
      ? 'a number'
      : `${issue.origin === 'array' ? 'a list' : `a ${issue.origin}`} of length`;
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  return `expected ${what} ${op} ${String(bound)}`;
}

const formatHint =
  'See docs/inventory.md and docs/jobs.md for the file formats (editors check them with docs/schema).';

/** Custom messages say what was expected; add what was found unless they already do. */
function withFound(message: string, found: unknown): string {
  return /found /.test(message) || found === undefined ? message : `${message}, found ${describe(found)}`;
}

/** zod's type names in the words of YAML: a mapping, a list. */
function expectedName(type: string): string {
  if (type === 'object' || type === 'record') return 'a mapping';
  if (type === 'array') return 'a list';
  return type;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  return typeof value;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
}

/** The field names allowed at `path`, read from the schema itself so the list never goes stale. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const candidates = schemasAt(schema, path);
  const keys = new Set<string>();
  for (const s of candidates) for (const k of Object.keys(defOf(s).shape ?? {})) keys.add(k);
  return [...keys].sort();
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { def: SchemaDef }).def;
}

function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  if (def.innerType) return unwrap(def.innerType);
  if (def.in) return unwrap(def.in);
  if (def.getter) return unwrap(def.getter());
  if (def.options) return def.options.flatMap(unwrap);
  return [schema];
}

function schemasAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let current = unwrap(schema);
  for (const part of path) {
    current = current.flatMap((s) => {
      const def = defOf(s);
      const next = def.shape?.[String(part)] ?? def.element ?? def.valueType;
      return next ? unwrap(next) : [];
    });
  }
  return current;
}
