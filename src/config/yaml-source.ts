/**
 * A YAML file parsed with positions. Everything that validates a file later asks this for the
 * line and column of a path, so errors point at the exact value (or key) that is wrong.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigIssue, SourcePosition } from './diagnostics.js';
import { ConfigInvalidError, formatPath } from './diagnostics.js';
import { NetopsError } from '../core/errors.js';

export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly data: unknown;
  readonly #doc: Document;
  readonly #lines: LineCounter;

  private constructor(file: string, text: string, doc: Document, lines: LineCounter) {
    this.file = file;
    this.text = text;
    this.#doc = doc;
    this.#lines = lines;
    this.data = doc.toJS({ maxAliasCount: 100 });
  }

  /** Parses `text`; syntax errors and duplicate keys are thrown together as ConfigInvalidError. */
  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const source = new YamlSource(file, text, doc, lines);
    if (doc.errors.length > 0) {
      throw new ConfigInvalidError(
        doc.errors.map((e) =>
          source.issueAtOffset(e.pos[0], '', yamlMessage(e.code, e.message), yamlHint(e.code)),
        ),
      );
    }
    return source;
  }

  static async load(file: string): Promise<YamlSource> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
      throw new NetopsError('CONFIG_UNREADABLE', `${file}: cannot read: ${reason}`, {
        hint: 'Check the path (relative paths in a job file are relative to the job file).',
        cause: error,
      });
    }
    return YamlSource.parse(displayPath(file), text);
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
    const pos = this.#toPosition(offset);
    const sourceLine = this.text.split(/\r?\n/)[pos.line - 1];
    return {
      pos,
      path,
      message,
      ...(hint === undefined ? {} : { hint }),
      ...(sourceLine === undefined ? {} : { sourceLine }),
    };
  }

  #toPosition(offset: number): SourcePosition {
    const { line, col } = this.#lines.linePos(offset);
    return { file: this.file, line, col };
  }

  /** Walks down as far as the path exists; a missing tail points at its nearest parent. */
  #offsetOf(path: readonly PropertyKey[], key: boolean): number {
    let node: Node | null | undefined = this.#doc.contents;
    let offset = node?.range?.[0] ?? 0;
    for (const [i, part] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part),
        );
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

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: this key already appears earlier in the same mapping';
  return `YAML syntax error: ${message.replace(/\s+at line \d+.*$/s, '')}`;
}

function yamlHint(code: string): string {
  if (code === 'DUPLICATE_KEY') return 'Keep one of the two entries; YAML mappings cannot repeat a key.';
  if (code === 'TAB_AS_INDENT') return 'Indent with spaces, not tabs.';
  return 'Check indentation and brackets near this position.';
}

/** Paths below the current folder are shown relative to it, as the user typed them. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
