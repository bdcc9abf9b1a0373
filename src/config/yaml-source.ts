/**
 * A YAML file parsed with positions. Everything that validates a file later asks this for the
 * line and column of a path, so errors point at the exact value (or key) that is wrong.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Yaml from 'yaml';
import type { Alias, Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import type { ConfigIssue, SourcePosition } from './diagnostics.js';
import { ConfigInvalidError, formatPath } from './diagnostics.js';
import { NetopsError } from '../core/errors.js';
import type { YamlDataCache } from './yaml-data-cache.js';
import { fastYamlData } from './yaml-fast.js';

/**
 * The `yaml` library, loaded on first use: a file the fast reader reads without problems never needs
 * it, and loading it costs more than reading a thousand-host inventory that way.
 */
let yamlLibrary: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  yamlLibrary ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlLibrary;
}

/**
 * Aliases may expand to at most this many nodes, or twice the number of aliases written in the file
 * when that is more: a file that reuses an anchor once per host stays valid at any size, while a
 * "billion laughs" (aliases of aliases, growing exponentially) is refused before anything walks it.
 */
const minAliasBudget = 1000;

/**
 * The longest run of characters without a newline or a flow indicator (`,[]{}`), i.e. about the
 * longest value: settings are short, and the YAML library needs some 30 times a value's size in
 * memory (a 50 MB line peaked at 1.7 GB), so a file carrying a blob is refused before parsing.
 * Long lines of many short values (minified JSON exports) stay fine.
 */
export const maxValueChars = 1 << 20;

export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly data: unknown;
  /** The Document with positions: built on the first position asked for when js-yaml read the data. */
  #parsed: Parsed | undefined;
  /** Key -> pair per mapping, built on first lookup: positions of every host stay O(1) each. */
  readonly #keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

  private constructor(file: string, text: string, data: unknown, parsed?: Parsed) {
    this.file = file;
    this.text = text;
    this.data = data;
    this.#parsed = parsed;
  }

  /**
   * Parses `text`: syntax errors, duplicate keys, second documents, unresolved or excessive aliases
   * and a top level that is not a mapping are thrown together as ConfigInvalidError. The data is read
   * by the fast reader (yaml-fast.ts) when it is sure to read it as `yaml` does; positions are then
   * worked out on the first one asked for.
   */
  static parse(file: string, text: string): YamlSource {
    refuseLongValue(file, text);
    const data = fastYamlData(text);
    return data === undefined ? YamlSource.parseWithPositions(file, text) : new YamlSource(file, text, data);
  }

  /**
   * Reads `text` with the `yaml` library alone, positions first: the path of every refusal, and of
   * whatever the fast reader is not sure of (test/config/yaml-fast.test.ts compares the two).
   */
  static parseWithPositions(file: string, text: string): YamlSource {
    refuseLongValue(file, text);
    const { doc, lines } = readDocument(text);
    const at = (offset: number, message: string, hint: string) =>
      new ConfigInvalidError([issueAt(file, text, lines, offset, '', message, hint)]);
    if (doc.errors.length > 0) {
      throw new ConfigInvalidError(
        doc.errors.map((e) =>
          issueAt(file, text, lines, e.pos[0], '', yamlMessage(e.code, e.message), yamlHint(e.code)),
        ),
      );
    }
    const { aliases, undefinedAlias, duplicateKeys } = walk(doc);
    if (duplicateKeys.length > 0) {
      throw new ConfigInvalidError(
        duplicateKeys.map((key) =>
          issueAt(
            file,
            text,
            lines,
            key.range?.[0] ?? 0,
            '',
            yamlMessage('DUPLICATE_KEY', ''),
            yamlHint('DUPLICATE_KEY'),
          ),
        ),
      );
    }
    if (undefinedAlias) {
      const name = undefinedAlias.source;
      throw at(
        undefinedAlias.range?.[0] ?? 0,
        `undefined alias *${name}: no anchor &${name} is set before it`,
        `Define \`&${name}\` on a value above this line, or fix the alias name.`,
      );
    }
    const budget = Math.max(minAliasBudget, 2 * aliases.length);
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: budget });
    } catch (error) {
      if (!(error instanceof ReferenceError)) throw error;
      throw at(
        aliases[0]?.range?.[0] ?? 0,
        `aliases expand to more than ${budget} nodes (aliases of aliases multiply)`,
        'Reuse anchors directly instead of nesting aliases inside anchored values.',
      );
    }
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
      throw at(
        doc.contents?.range?.[0] ?? 0,
        `expected a mapping of \`key: value\` lines at the top of the file, found ${
          Array.isArray(data) ? 'a list' : `the ${typeof data} ${JSON.stringify(data).slice(0, 40)}`
        }`,
        'Start the file with its fields, e.g. `hosts:` for an inventory or `inventory:` and `steps:` for a job.',
      );
    }
    return new YamlSource(file, text, data, { doc, lines });
  }

  /**
   * Reads and parses `file`; with a `cache`, the data of a large file comes from it when the text is
   * the one it was kept for (yaml-data-cache.ts), and is kept there after a parse.
   */
  static async load(file: string, cache?: YamlDataCache): Promise<YamlSource> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(error);
      throw new NetopsError('CONFIG_UNREADABLE', `${file}: cannot read: ${reason}`, {
        hint: 'Check the path (relative paths in a job file are relative to the job file).',
        cause: error,
      });
    }
    if (!cache) return YamlSource.parse(displayPath(file), text);
    const absolute = path.resolve(file);
    const kept = await cache.read(absolute, text);
    if (kept !== undefined) return new YamlSource(displayPath(file), text, kept);
    const source = YamlSource.parse(displayPath(file), text);
    await cache.keep(absolute, text, source.data);
    return source;
  }

  /** The position of the value at `path`, or of the key itself when `key` is true (unknown fields). */
  position(path: readonly PropertyKey[], key = false): SourcePosition {
    const offset = this.#offsetOf(path, key);
    return this.#toPosition(offset);
  }

  issue(path: readonly PropertyKey[], message: string, hint?: string, key = false): ConfigIssue {
    return this.issueAtOffset(this.#offsetOf(path, key), formatPath(path), message, hint);
  }

  issueAtOffset(offset: number, path: string, message: string, hint?: string): ConfigIssue {
    return issueAt(this.file, this.text, this.#positions().lines, offset, path, message, hint);
  }

  #positions(): Parsed {
    this.#parsed ??= readDocument(this.text);
    return this.#parsed;
  }

  #toPosition(offset: number): SourcePosition {
    const { line, col } = this.#positions().lines.linePos(offset);
    return { file: this.file, line, col };
  }

  #pairNamed(map: YAMLMap, key: string): Pair | undefined {
    let index = this.#keyIndex.get(map);
    if (!index) {
      index = new Map();
      const { isPair, isScalar } = yaml();
      for (const p of map.items) {
        if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value)))
          index.set(String(p.key.value), p);
      }
      this.#keyIndex.set(map, index);
    }
    return index.get(key);
  }

  /** Walks down as far as the path exists; a missing tail points at its nearest parent. */
  #offsetOf(path: readonly PropertyKey[], key: boolean): number {
    const { doc } = this.#positions();
    const { isAlias, isMap, isSeq } = yaml();
    let node: Node | null | undefined = doc.contents;
    let offset = node?.range?.[0] ?? 0;
    for (const [i, part] of path.entries()) {
      const last = i === path.length - 1;
      if (isAlias(node)) node = node.resolve(doc) ?? null;
      if (isMap(node)) {
        const pair = this.#pairNamed(node, String(part));
        if (!pair) return offset;
        const keyNode = pair.key as Node;
        if (last && key) return keyNode.range?.[0] ?? offset;
        node = pair.value as Node | null;
        offset = node?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      } else if (isSeq(node) && typeof part === 'number') {
        node = node.items[part] as Node | undefined;
        if (!node) return offset;
        offset = node.range?.[0] ?? offset;
      } else {
        return offset;
      }
    }
    return offset;
  }
}

/** A value too long to parse (see maxValueChars) is refused at its start. */
function refuseLongValue(file: string, text: string): void {
  const blob = longValueAt(text);
  if (blob !== undefined) {
    const before = text.slice(0, blob);
    const line = before.split('\n').length;
    const col = blob - before.lastIndexOf('\n');
    throw new ConfigInvalidError([
      {
        pos: { file, line, col },
        path: '',
        message: `a value longer than ${maxValueChars / 2 ** 20} MiB starts here`,
        hint: 'Keep large data out of inventory and job files: store it in a file and give its path.',
        sourceLine: sourceLineAt(text, blob),
      },
    ]);
  }
}

interface Parsed {
  readonly doc: Document;
  readonly lines: LineCounter;
}

function readDocument(text: string): Parsed {
  const lines = new (yaml().LineCounter)();
  // yaml's own duplicate-key check compares each key with every earlier one (quadratic: minutes
  // for 50k hosts); walk() does it with one set per mapping.
  const doc = yaml().parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  return { doc, lines };
}

interface Walked {
  /** Every alias, in document order. */
  readonly aliases: Alias[];
  /** The first alias naming no anchor set before it. */
  readonly undefinedAlias: Alias | undefined;
  /** Keys repeating an earlier scalar key of the same mapping. */
  readonly duplicateKeys: Node[];
}

/** One pass over the document: aliases and anchors in order, and duplicate keys per mapping. */
function walk(doc: Document): Walked {
  const aliases: Alias[] = [];
  const anchors = new Set<string>();
  const duplicateKeys: Node[] = [];
  let undefinedAlias: Alias | undefined;
  const { isAlias, isMap, isScalar, visit } = yaml();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        aliases.push(node);
        if (!anchors.has(node.source)) undefinedAlias ??= node;
        return;
      }
      if (node.anchor) anchors.add(node.anchor);
      if (isMap(node)) {
        const seen = new Set<unknown>();
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          if (seen.has(pair.key.value)) duplicateKeys.push(pair.key);
          else seen.add(pair.key.value);
        }
      }
    },
  });
  return { aliases, undefinedAlias, duplicateKeys };
}

function issueAt(
  file: string,
  text: string,
  lines: LineCounter,
  offset: number,
  path: string,
  message: string,
  hint?: string,
): ConfigIssue {
  const { line, col } = lines.linePos(offset);
  return {
    pos: { file, line, col },
    path,
    message,
    ...(hint === undefined ? {} : { hint }),
    sourceLine: sourceLineAt(text, offset),
  };
}

/** Where a run of more than `maxValueChars` characters without a newline or flow indicator starts. */
function longValueAt(text: string): number | undefined {
  if (text.length <= maxValueChars) return undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // \n , [ ] { }
    if (c === 10 || c === 44 || c === 91 || c === 93 || c === 123 || c === 125) start = i + 1;
    else if (i - start >= maxValueChars) {
      while (text[start] === ' ' || text[start] === '\t') start++;
      return start;
    }
  }
  return undefined;
}

/** The line around `offset`, cut to what a terminal shows: never a copy of a 50 MB line. */
function sourceLineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const found = text.indexOf('\n', offset);
  const end = Math.min(found < 0 ? text.length : found, start + 200);
  return text.slice(start, end).replace(/\r$/, '');
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: this key already appears earlier in the same mapping';
  if (code === 'MULTIPLE_DOCS') return 'a second YAML document starts here; a netops file holds one document';
  return `YAML syntax error: ${message.replace(/\s+at line \d+.*$/s, '')}`;
}

function yamlHint(code: string): string {
  if (code === 'DUPLICATE_KEY') return 'Keep one of the two entries; YAML mappings cannot repeat a key.';
  if (code === 'TAB_AS_INDENT') return 'Indent with spaces, not tabs.';
  if (code === 'MULTIPLE_DOCS')
    return 'Remove the `---` line and merge the documents, or split them into two files.';
  return 'Check indentation and brackets near this position.';
}

/** Paths below the current folder are shown relative to it, as the user typed them. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
