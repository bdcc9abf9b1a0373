/** netops' version, as package.json says: read once, by `--version`, the command tree and the store. */
import { readFileSync } from 'node:fs';

export const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
