/**
 * Matches typed EXEC commands against a grammar with IOS-style abbreviation: every keyword may be
 * shortened to a unique prefix (`sh run`, `conf t`, `wr`). The result says where the input went wrong,
 * so the caller can put the caret under the right column (device-reference.md §1.8, §4.1).
 */

export interface CommandSpec {
  /** Keywords, `<arg>` (one word) or `<rest...>` (the rest of the line). */
  readonly pattern: string;
  readonly id: string;
}

export type Match =
  | { readonly kind: 'ok'; readonly id: string; readonly args: readonly string[] }
  | { readonly kind: 'invalid'; readonly column: number; readonly first: boolean }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'empty' };

interface Node {
  readonly keywords: Map<string, Node>;
  arg?: Node;
  rest?: string;
  id?: string;
}

const node = (): Node => ({ keywords: new Map() });

export function buildGrammar(specs: readonly CommandSpec[]): Node {
  const root = node();
  for (const spec of specs) {
    let at = root;
    const words = spec.pattern.split(' ');
    for (const [i, word] of words.entries()) {
      if (word.endsWith('...>')) {
        at.rest = spec.id;
        break;
      }
      if (word.startsWith('<')) at = at.arg ??= node();
      else {
        const next = at.keywords.get(word) ?? node();
        at.keywords.set(word, next);
        at = next;
      }
      if (i === words.length - 1) at.id = spec.id;
    }
  }
  return root;
}

export type Grammar = ReturnType<typeof buildGrammar>;

export function matchCommand(grammar: Grammar, line: string): Match {
  const tokens = [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], column: m.index }));
  if (tokens.length === 0) return { kind: 'empty' };
  const args: string[] = [];
  let at = grammar;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as { text: string; column: number };
    const lower = token.text.toLowerCase();
    const exact = at.keywords.get(lower);
    const prefixed = exact
      ? [exact]
      : [...at.keywords].filter(([k]) => k.startsWith(lower)).map(([, n]) => n);
    if (prefixed.length > 1) return { kind: 'ambiguous' };
    const next = prefixed[0];
    if (next) {
      at = next;
      continue;
    }
    if (at.rest) return { kind: 'ok', id: at.rest, args: [...args, line.slice(token.column).trim()] };
    if (at.arg) {
      args.push(token.text);
      at = at.arg;
      continue;
    }
    return { kind: 'invalid', column: token.column, first: i === 0 };
  }
  if (at.id) return { kind: 'ok', id: at.id, args };
  return { kind: 'incomplete' };
}
