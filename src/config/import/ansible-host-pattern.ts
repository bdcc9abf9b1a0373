/**
 * An Ansible host pattern as the INI and YAML inventories write it: a name, IPv4 or IPv6 address,
 * an optional `:port` (an IPv6 address takes a port only in brackets, `[2001:db8::1]:2222`), and
 * ranges `[01:10]`, `[a:f]`, `[1:9:2]` that stand for one host each.
 */

/** The host names a pattern stands for and the port it gives, or why it cannot be read. */
export function expandHostPattern(pattern: string): { names: string[]; port?: number } | string {
  let host = pattern;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(pattern);
  const hostPort = /^((?:[^:[\]]|\[[^\]]*\])+):(\d+)$/.exec(pattern);
  const match = bracketed ?? hostPort;
  if (match) {
    host = match[1]!;
    port = Number(match[2]);
  }
  try {
    return { names: expandRanges(host), ...(port === undefined ? {} : { port }) };
  } catch (error) {
    return (error as Error).message;
  }
}

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Expands the first `[begin:end(:step)]` and recurses into the rest, as Ansible does. */
function expandRanges(text: string): string[] {
  const open = text.indexOf('[');
  if (open < 0) return [text];
  const close = text.indexOf(']', open);
  if (close < 0) throw new Error(`unclosed range in "${text}"`);
  const [begin = '', end = '', step = '1', ...extra] = text.slice(open + 1, close).split(':');
  if (extra.length > 0 || end === '')
    throw new Error(`a host range is begin:end or begin:end:step, found "${text}"`);
  const head = text.slice(0, open);
  const tail = text.slice(close + 1);
  const stride = Number(step);
  const out: string[] = [];
  const alpha = letters.indexOf(begin);
  if (alpha >= 0 && begin.length === 1 && letters.includes(end)) {
    for (let i = alpha; i <= letters.indexOf(end); i += stride)
      out.push(...expandRanges(head + letters[i] + tail));
    return out;
  }
  const from = begin === '' ? 0 : Number(begin);
  const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0;
  if (width && width !== end.length)
    throw new Error(`a zero-padded range needs begin and end of one width: "${text}"`);
  if (!Number.isInteger(from) || !Number.isInteger(Number(end)) || !(stride > 0))
    throw new Error(`not a host range: "${text}"`);
  for (let i = from; i <= Number(end); i += stride)
    out.push(...expandRanges(head + String(i).padStart(width, '0') + tail));
  return out;
}
