/**
 * The fast reader (js-yaml) against the `yaml` library: every YAML file of the project (test
 * fixtures, inventory/, jobs/, docs/ files and ```yaml examples), every file of the malformed-input
 * corpus and a table of constructs where the two libraries differ are read by YamlSource.parse and
 * by the `yaml`-only path. Each gives the same data, or the same refusal (messages, positions,
 * hints); positions asked of a fast-read file are those of the `yaml`-only read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigInvalidError } from '../../src/config/diagnostics.js';
import { fastYamlData } from '../../src/config/yaml-fast.js';
import { YamlSource } from '../../src/config/yaml-source.js';
import { cases, inv, job, marker } from './malformed-corpus-cases.js';

const root = path.resolve(import.meta.dirname, '../..');

function yamlFiles(folder: string): { name: string; text: string }[] {
  const found: { name: string; text: string }[] = [];
  for (const entry of readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const name = path.relative(root, file);
    if (/\.ya?ml$/.test(entry.name)) found.push({ name, text: readFileSync(file, 'utf8') });
    else if (entry.name.endsWith('.md')) {
      const blocks = readFileSync(file, 'utf8').matchAll(/^```ya?ml\n([\s\S]*?)^```/gm);
      for (const [i, block] of [...blocks].entries())
        found.push({ name: `${name} yaml block ${i + 1}`, text: block[1]! });
    }
  }
  return found;
}

const corpusFiles = [
  { name: 'corpus default inventory', text: inv() },
  { name: 'corpus default job', text: job() },
  ...cases.flatMap((c) =>
    (['inv', 'job', 'inv2'] as const)
      .filter((k) => c[k] !== undefined)
      .map((k) => ({
        name: `corpus ${c.name} (${k})`,
        text: c[k]!.replace(marker, '').replaceAll('PORT', '2222'),
      })),
  ),
];

/** Constructs the two libraries read differently, or that only one of them accepts. */
const constructs: Record<string, string> = {
  'null key': 'null: a\nb: 1\n',
  'tilde key': '~: a\n',
  'empty key': ': a\n',
  'numeric, bool and float keys': '10: a\n0x10: b\ntrue: c\n1.50: d\n.inf: e\n-0: f\n',
  'key 1 and key "1"': '1: a\n"1": b\n',
  'key 1 and key 1.0': '1: a\n1.0: b\n',
  'core ints and floats': 'a: [0o17, 0x1F, +12, -0, 012, .5, 1e3, 1.0, .NaN, -.inf, 18446744073709551616]\n',
  'YAML 1.1 forms stay strings': 'a: [yes, no, on, off, 0b101, 1_000, 2001-12-14, 0777, y, n, ~x]\n',
  'quoted scalars stay strings': 'a: ["1", \'true\', "null", "0x10", \'\']\n',
  'escapes and quotes': 'a: "\\x41\\u00e9\\t\\"q\\" \\\\"\nb: \'it\'\'s\'\n',
  'block scalars':
    'a: |\n  one\n  two\n\nb: >-\n  folded\n  text\n\nc: |+\n  kept\n\n\nd: >\n  x\n\n   more\n  y\n',
  'multi-line plain scalar': 'a: one\n  two\n\n  three\n',
  'comments only': '# nothing here\n',
  empty: '',
  'document start only': '---\na: 1\n',
  'document end marker': 'a: 1\n...\n',
  'two documents': 'a: 1\n---\nb: 2\n',
  'top-level list': '- a\n- b\n',
  'top-level scalar': 'hello\n',
  'top-level null': '~\n',
  'merge key with a mapping': 'a:\n  <<: { x: 1 }\n  y: 2\n',
  'merge key with an alias': 'base: &b { x: 1 }\nhost:\n  <<: *b\n  y: 2\n',
  'anchor without alias': 'a: &x 1\nb: 2\n',
  aliases: 'a: &x { p: 1 }\nb: *x\nc: [*x, *x]\n',
  'undefined alias': 'a: *nope\n',
  'alias expansion':
    'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
  'core scalars in every form': [
    'a: 0o17\nb: 0x1F\nc: -.inf\nd: .NaN\ne: 1e3\nf: +12\ng: 1.50\nh: ~\ni: True\nj: .5\nk: 012\nl: 1.',
    'm: 0o8\nn: 1_000\no: -0\np: +.INF\nq: NULL\nr: FALSE\ns: 0x\nt: 1.5E-3\nu: TRUE1\nv: nan\nw: .inf.',
    'x: [1, 2.0, null, true, 0x10, -1e2, ".5", 0o]\n',
  ].join('\n'),
  'explicit core tags': 'a: !!str 1\nb: !!int "5"\nc: !!float 1\nd: !!bool "true"\ne: !!null ""\n',
  'non-specific tag': 'a: ! 12\n',
  'unknown tags': 'a: !foo x\nb: !!binary aGk=\nc: !!timestamp 2001-12-14\n',
  'explicit int tag on text': 'a: !!int abc\n',
  'YAML 1.1 directive': '%YAML 1.1\n---\na: yes\n<<: { b: 1 }\n',
  'explicit key': '? a\n: 1\n',
  'flow sequence key': '[a, b]: 1\n',
  'one-item flow sequence key': '[a]: 1\n',
  'flow mapping key': '{ a: 1 }: 2\n',
  'key with a comma': '"a,b": 1\n',
  'long key': `${'k'.repeat(1100)}: 1\n`,
  'long quoted key': `"${'k'.repeat(1100)}": 1\n`,
  'duplicate keys': 'a: 1\na: 2\n',
  'duplicate keys in flow': 'a: { x: 1, x: 2 }\n',
  'prototype keys': '__proto__: { polluted: 1 }\ntoString: 1\nconstructor: 2\n',
  'CRLF line ends': 'a: 1\r\nb:\r\n  - x\r\n',
  'byte order mark': '\ufeffa: 1\n',
  'tab indentation': 'a:\n\tb: 1\n',
  'tab after a value': 'a: 1\t# comment\nb: x\ty\n',
  'control character': 'a: "x\u0007"\nb: x\u0001\n',
  unicode: 'név: "ünïcödé ☃ 🌐"\n',
  'star and question mark in values': 'a: core*\nb: what?\nc: a * b\nd: "x ?y"\n',
  'percent in a value': 'a: 100%\nb: "%x"\n',
  'colon in values': 'a: http://x:80/y\nb: "k: v"\nc: [a:b]\n',
  'flow collections across lines': 'a: { x: 1,\n  y: [1,\n  2] }\n',
  'bad indentation of flow collection': 'a:\n  b: { x: 1,\n y: 2 }\n',
  'deep nesting': `a: ${'['.repeat(200)}${']'.repeat(200)}\n`,
  'key on two lines': 'a\n  b: 1\n',
  'json style': '{"a": 1, "b": [true, null, "x"], "c": {"d": 1.5e3}}\n',
  'json style without spaces': '{"a":1,"b":[true,null]}\n',
  'empty values': 'a:\nb: []\nc: {}\nd: ""\ne: [, ]\n',
  'null item in a list': 'a:\n  -\n  - ~\n  - null\n',
  'compact nested mapping': 'a: b: c\n',
  'no space after colon': 'a:1\nb: 2\n',
  'list not indented under its key': 'a:\n- x\n- y\nb: 1\n',
  'key less indented than its siblings': 'a:\n  b: 1\n c: 2\n',
  'hash without a space': 'a: 1#x\nb: "#y" # z\n',
  'tab before a value': 'a:\t1\n',
  'anchor on a key': '&k a: 1\n',
  'text after a document end': 'a: 1\n...\nb: 2\n',
  'quoted key with spaces': '" a ": 1\n\'b \': 2\n',
  'plain value with brackets inside': 'a: x[1]\nb: y{2}\n',
  'flow mapping with an empty value': 'a: { b, c: }\n',
  'trailing comma in flow': 'a: [1, 2, ]\nb: { c: 1, }\n',
  'same-line flow after a dash': '- { a: 1 }\n',
  'windows path and escapes': 'a: C:\\temp\\x\nb: "C:\\\\temp"\n',
};

type Outcome = { data: unknown } | { refused: unknown };

function outcome(read: () => YamlSource): Outcome {
  try {
    return { data: read().data };
  } catch (error) {
    if (error instanceof ConfigInvalidError) return { refused: error.issues };
    return { refused: String(error) };
  }
}

function compare(name: string, text: string): boolean {
  const exact = outcome(() => YamlSource.parseWithPositions(`${name}.yaml`, text));
  const used = outcome(() => YamlSource.parse(`${name}.yaml`, text));
  expect(used, name).toStrictEqual(exact);
  return fastYamlData(text) !== undefined;
}

describe('fast YAML reader against the yaml library', () => {
  const files = [...['test', 'inventory', 'jobs', 'docs'].flatMap(yamlFiles), ...corpusFiles];

  it(`reads the project's YAML files and the malformed corpus as yaml does (${files.length} files)`, () => {
    expect(files.length).toBeGreaterThan(150);
    const fast = files.filter(({ name, text }) => compare(name, text));
    // Most files take the fast path, so the comparison above is not of the yaml path with itself.
    expect(fast.length).toBeGreaterThan(files.length / 2);
  });

  it.each(Object.entries(constructs))('%s: same data or same refusal', (name, text) => {
    compare(name, text);
  });

  it('takes the fast path for plain inventories and not for aliases, directives or complex keys', () => {
    expect(fastYamlData('hosts:\n  r1: { address: 10.0.0.1, groups: [core], port: 22 }\n')).toStrictEqual({
      hosts: { r1: { address: '10.0.0.1', groups: ['core'], port: 22 } },
    });
    for (const name of [
      'aliases',
      'YAML 1.1 directive',
      'one-item flow sequence key',
      'null key',
      'explicit key',
    ])
      expect(fastYamlData(constructs[name]!), name).toBeUndefined();
  });

  it('gives positions of a fast-read file as the yaml-only read does', () => {
    const text = readFileSync(path.join(root, 'inventory/example.yaml'), 'utf8');
    const fast = YamlSource.parse('inventory/example.yaml', text);
    const exact = YamlSource.parseWithPositions('inventory/example.yaml', text);
    expect(fastYamlData(text)).toBeDefined();
    const data = exact.data as Record<string, Record<string, unknown>>;
    for (const [section, entries] of Object.entries(data)) {
      for (const key of Object.keys(entries ?? {})) {
        expect(fast.position([section, key])).toStrictEqual(exact.position([section, key]));
        expect(fast.position([section, key], true)).toStrictEqual(exact.position([section, key], true));
        expect(fast.issue([section, key], 'm', 'h')).toStrictEqual(exact.issue([section, key], 'm', 'h'));
      }
    }
  });
});
