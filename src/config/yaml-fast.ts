/**
 * The fast way to read a YAML file: js-yaml builds the data about ten times faster than the `yaml`
 * library's Document (50k hosts: ~1.2 s and ~120 MB against 7-14 s and ~550 MB), but keeps no
 * positions. YamlSource reads every file this way first and builds the Document only when a
 * position is asked for (an error, a warning, `--show-origin`).
 *
 * The data must be exactly what `yaml` would give, so this path says "not sure" (undefined) for
 * whatever the two libraries could read differently, and the caller then parses with `yaml` alone:
 * - plain scalars are resolved by YAML 1.2's core schema as the `yaml` library does (coreScalars),
 *   quoted ones stay strings, unknown tags make js-yaml throw;
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

/**
 * YAML 1.2's core schema for plain scalars (spec 10.3.2), in the order and with the values the `yaml`
 * library gives them (tried in turn: null, bool, int in base 8, 10 and 16, then float); written out
 * here because loading `yaml` just for its tags costs more than the rest of a small file's load.
 */
const coreScalars: readonly (readonly [tag: string, test: RegExp, value: (text: string) => unknown])[] = [
  ['null', /^(?:~|[Nn]ull|NULL)?$/, () => null],
  ['bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'],
  ['int', /^0o[0-7]+$/, (text) => parseInt(text.slice(2), 8)],
  ['int', /^[-+]?[0-9]+$/, (text) => parseInt(text, 10)],
  ['int', /^0x[0-9a-fA-F]+$/, (text) => parseInt(text.slice(2), 16)],
  [
    'float',
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    (text) => (text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? -Infinity : Infinity),
  ],
  ['float', /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (text) => parseFloat(text)],
  // Not `1` (an int): `!!float 1` is no float to `yaml` either.
  ['float', /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (text) => parseFloat(text)],
];

/** The core scalars as js-yaml implicit types, one per tag: one test of its patterns together, then the form. */
function coreScalarTypes(): jsYaml.Type[] {
  const tags = [...new Set(coreScalars.map(([tag]) => tag))];
  return tags.map((tag) => {
    const forms = coreScalars.filter(([t]) => t === tag);
    const any = new RegExp(forms.map(([, test]) => test.source).join('|'));
    return new jsYaml.Type(`tag:yaml.org,2002:${tag}`, {
      kind: 'scalar',
      resolve: (text: string) => any.test(text),
      construct: (text: string) => forms.find(([, test]) => test.test(text))![2](text),
    });
  });
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
  if (value === null || typeof value !== 'object') return true; // most values: scalars, no keys
  if (Array.isArray(value)) {
    for (const item of value) if (!keysAreCertain(item)) return false;
    return true;
  }
  for (const key in value) {
    if (key === 'null' || key.length > maxKeyChars || key.includes('[object Object]')) return false;
    if (key.includes(',')) return false; // a flow sequence as key: "a,b" here, "[ a, b ]" in `yaml`
    if (!keysAreCertain((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
