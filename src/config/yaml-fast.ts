/**
 * The fast way to read a YAML file: js-yaml builds the data about ten times faster than the `yaml`
 * library's Document (50k hosts: ~1.2 s and ~120 MB against 7-14 s and ~550 MB), but keeps no
 * positions. YamlSource reads every file this way first and builds the Document only when a
 * position is asked for (an error, a warning, `--show-origin`).
 *
 * The data must be exactly what `yaml` would give, so this path says "not sure" (undefined) for
 * whatever the two libraries could read differently, and the caller then parses with `yaml` alone:
 * - plain scalars are resolved by the `yaml` library's own YAML 1.2 core tags (same tests, same
 *   constructors), quoted ones stay strings, unknown tags make js-yaml throw;
 * - aliases (js-yaml has no expansion budget), directives (`%YAML 1.1` changes the schema in `yaml`),
 *   complex keys (`? key`, a flow collection as key: stringified differently) and flow collections
 *   over several lines (`yaml` refuses some js-yaml reads, by indentation) are spotted in the text;
 *   the check errs on the side of "not sure", e.g. for a `*` after a space inside a value;
 * - keys js-yaml turns into text differently (a null key: "null" against ""), or that `yaml` refuses
 *   (implicit keys over 1024 characters) are looked for in the result;
 * - everything js-yaml refuses (syntax, duplicate keys, second documents, an empty file) and any
 *   top level other than a mapping goes to `yaml`, which words the error with its position.
 * test/config/yaml-fast.test.ts reads every YAML file of the project and the malformed corpus both
 * ways and compares.
 */
import jsYaml from 'js-yaml';
import { isScalar, Schema as YamlSchema, type ScalarTag } from 'yaml';

/** `yaml`'s core schema tags for plain scalars, grouped by tag name in the order `yaml` tries them. */
function coreScalarTypes(): jsYaml.Type[] {
  const byName = new Map<string, ScalarTag[]>();
  for (const tag of new YamlSchema({ schema: 'core' }).tags) {
    if (!('test' in tag) || !tag.test || !tag.default) continue;
    const scalar = tag as ScalarTag;
    byName.set(scalar.tag, [...(byName.get(scalar.tag) ?? []), scalar]);
  }
  const options = { intAsBigInt: false };
  return [...byName].map(
    ([name, tags]) =>
      new jsYaml.Type(name, {
        kind: 'scalar',
        resolve: (text: string) => tags.some((t) => t.test?.test(text)),
        construct: (text: string) => {
          const tag = tags.find((t) => t.test?.test(text)) as ScalarTag;
          const value = tag.resolve(text, () => undefined, options);
          return isScalar(value) ? value.value : value;
        },
      }),
  );
}

const schema = jsYaml.FAILSAFE_SCHEMA.extend({ implicit: coreScalarTypes() });

/**
 * A `%` directive at a line start; `*` (alias) or `?` (explicit key) where a node may start; a flow
 * collection closed right before a key's colon.
 */
const uncertainSyntax = /^%|(?:^|[\s[{,:])[*?]|[\]}][ \t]*:(?:[\s,\]}]|$)/m;

/** The longest implicit key the `yaml` library accepts. */
const maxKeyChars = 1024;

/** The file's data as the `yaml` library would build it, or undefined when only `yaml` can tell. */
export function fastYamlData(text: string): Record<string, unknown> | undefined {
  if (uncertainSyntax.test(text) || !bracketsCloseOnEachLine(text)) return undefined;
  let data: unknown;
  try {
    data = jsYaml.load(text, { schema });
  } catch {
    return undefined; // `yaml` words the refusal (or reads what js-yaml does not)
  }
  if (!isMapping(data) || !keysAreCertain(data)) return undefined;
  return data;
}

/**
 * Whether every line closes the brackets it opens (counted bluntly, quotes and comments included):
 * true for inventories of one-line flow collections, false for any flow collection over lines.
 */
function bracketsCloseOnEachLine(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (depth !== 0) return false;
    } else if (c === 91 || c === 123)
      depth++; // [ {
    else if (c === 93 || c === 125) depth--; // ] }
  }
  return depth === 0;
}

/** No key that js-yaml stringifies differently from `yaml`, or that `yaml` refuses. */
function keysAreCertain(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysAreCertain);
  if (!isMapping(value)) return true;
  for (const [key, item] of Object.entries(value)) {
    if (key === 'null' || key.length > maxKeyChars || key.includes('[object Object]')) return false;
    if (key.includes(',')) return false; // a flow sequence as key: "a,b" here, "[ a, b ]" in `yaml`
    if (!keysAreCertain(item)) return false;
  }
  return true;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
