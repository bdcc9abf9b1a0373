/**
 * Line feeds in a config's text, counted without splitting it: a 50 KB config split only to count
 * its lines makes some 1,500 strings per host for the garbage collector.
 */
export function countLineFeeds(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
