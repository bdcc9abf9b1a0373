/**
 * RANCID's `.cloginrc` (cloginrc(5)): `add <directive> <router glob> {value} ...` lines, where the
 * first line whose glob matches a router wins. Only what a netops credential set or transport can
 * hold is read: user, password (vty, enable), identity, method.
 */
import os from 'node:os';
import path from 'node:path';
import { NetopsError } from '../../core/errors.js';
import { numberedLines, readSource } from './read-source.js';

export interface CloginDirective {
  readonly directive: string;
  readonly glob: RegExp;
  readonly values: readonly string[];
  readonly origin: string;
}

const directivesRead = new Set(['user', 'password', 'identity', 'method']);

/** Words of a Tcl list: `{...}` groups (nesting kept) or bare words, backslash escapes resolved. */
export function tclWords(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    let word = '';
    let depth = text[i] === '{' ? 1 : 0;
    if (depth) i++;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\\' && i + 1 < text.length) word += text[++i];
      else if (depth && ch === '{') {
        depth++;
        word += ch;
      } else if (depth && ch === '}' && --depth === 0) break;
      else if (!depth && /\s/.test(ch)) break;
      else word += ch;
    }
    i++;
    words.push(word);
  }
  return words;
}

/** Tcl `string match` glob (`*`, `?`, `[...]`, `\x`) as an anchored regular expression. */
export function globPattern(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '\\' && i + 1 < glob.length) out += escape(glob[++i]!);
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/[\\^\]]/g, '\\$&')}]`;
        i = end;
      }
    } else out += escape(ch);
  }
  return new RegExp(`^${out}$`);
}

function escape(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The directives netops uses, in file order, `include {file}` followed where it stands (a relative path is under $HOME, as clogin takes it). */
export async function readCloginrc(file: string, depth = 0): Promise<CloginDirective[]> {
  if (depth > 8)
    throw new NetopsError('CONFIG_INVALID', `${file}: includes nest more than 8 deep`, {
      hint: 'Look for an include loop in your .cloginrc files.',
    });
  const out: CloginDirective[] = [];
  for (const { line, text } of numberedLines(await readSource(file, '.cloginrc'))) {
    const words = tclWords(text.trim().startsWith('#') ? '' : text);
    if (words[0] === 'include' && words[1] !== undefined) {
      out.push(...(await readCloginrc(path.resolve(os.homedir(), words[1]), depth + 1)));
    } else if (words[0] === 'add' && directivesRead.has(words[1] ?? '') && words[2] !== undefined) {
      out.push({
        directive: words[1]!,
        glob: globPattern(words[2]),
        values: words.slice(3),
        origin: `${file}:${line}`,
      });
    }
  }
  return out;
}

/** The first directive of this kind whose glob matches the router, as clogin looks it up. */
export function lookup(
  directives: readonly CloginDirective[],
  directive: string,
  router: string,
): CloginDirective | undefined {
  return directives.find((d) => d.directive === directive && d.glob.test(router));
}
