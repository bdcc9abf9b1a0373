/**
 * Values of an Ansible INI inventory as Ansible reads them: host lines are split like a POSIX
 * shell (quotes, backslashes, `#` comments), and each value is a Python literal when it reads as
 * one (`22` a number, `True` a boolean, `"[1, 2]"` a list, a trailing `# comment` ignored), else
 * the text as written.
 */

/** POSIX shell words: whitespace splits, quotes group, a `#` starting a word ends the line. */
export function shellWords(line: string): string[] | string {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (ch === '#' && word === undefined) break;
    else if (ch === "'" || ch === '"') {
      const close = quoteEnd(line, i);
      if (close < 0) return `no closing quotation in: ${line}`;
      const body = line.slice(i + 1, close);
      word = (word ?? '') + (ch === '"' ? body.replace(/\\(["\\$`])/g, '$1') : body);
      i = close + 1;
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[i + 1];
      i += 2;
    } else {
      word = (word ?? '') + ch;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

function quoteEnd(line: string, open: number): number {
  const quote = line[open];
  for (let i = open + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (line[i] === quote) return i;
  }
  return -1;
}

/** `ast.literal_eval(text)` when the text is a literal, else the text itself. */
export function pythonValue(text: string): unknown {
  const reader = new LiteralReader(text);
  try {
    const value = reader.value();
    reader.end();
    return value;
  } catch (error) {
    if (error !== notLiteral) throw error;
    return text;
  }
}

const constants: Record<string, unknown> = { True: true, False: false, None: null };

/** Thrown while reading a value that is not a literal: a plain object, since most values are text and an Error's stack costs. */
const notLiteral = Object.freeze({ notLiteral: true });

class LiteralReader {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  value(): unknown {
    this.#space();
    const ch = this.#text[this.#at];
    if (ch === '[' || ch === '(') return this.#sequence(ch === '[' ? ']' : ')');
    if (ch === '{') return this.#mapping();
    if (ch === "'" || ch === '"') return this.#string(ch);
    const word = /^[-+]?[\w.]+/.exec(this.#text.slice(this.#at))?.[0];
    if (word === undefined) throw notLiteral;
    this.#at += word.length;
    if (Object.hasOwn(constants, word)) return constants[word];
    const number = Number(word.replace(/_/g, ''));
    if (
      !/^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+|0[xX][\da-fA-F]+|0[oO][0-7]+|0[bB][01]+)$/.test(word) ||
      Number.isNaN(number)
    )
      throw notLiteral;
    if (/^[-+]?0\d/.test(word)) throw notLiteral;
    return number;
  }

  /** Only spaces and a `# comment` may follow the literal. */
  end(): void {
    this.#space();
    if (this.#at < this.#text.length && this.#text[this.#at] !== '#') throw notLiteral;
  }

  #space(): void {
    while (/\s/.test(this.#text[this.#at] ?? '')) this.#at++;
  }

  #expect(ch: string): void {
    this.#space();
    if (this.#text[this.#at] !== ch) throw notLiteral;
    this.#at++;
  }

  #items(close: string, item: () => void): void {
    this.#at++;
    this.#space();
    while (this.#text[this.#at] !== close) {
      item();
      this.#space();
      if (this.#text[this.#at] === ',') this.#at++;
      else if (this.#text[this.#at] !== close) throw notLiteral;
      this.#space();
    }
    this.#at++;
  }

  #sequence(close: string): unknown[] {
    const out: unknown[] = [];
    this.#items(close, () => out.push(this.value()));
    return out;
  }

  #mapping(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.#items('}', () => {
      const key = this.value();
      this.#expect(':');
      out[String(key)] = this.value();
    });
    return out;
  }

  #string(quote: string): string {
    let out = '';
    for (this.#at++; this.#at < this.#text.length; this.#at++) {
      const ch = this.#text[this.#at]!;
      if (ch === quote) {
        this.#at++;
        return out;
      }
      if (ch === '\\') {
        const next = this.#text[++this.#at] ?? '';
        out +=
          ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[next] ??
          `\\${next}`;
      } else out += ch;
    }
    throw notLiteral;
  }
}
