/**
 * A digest of the code that made a kept result, for caches that must not outlive a fix: netops'
 * version alone does not change in a clone run from git, whose code changes at every pull.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** SHA-256 over the names and contents of a folder's files ending in `extension`, in name order. */
export function codeDigest(dir: string, extension: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(extension))
    .sort()) {
    hash
      .update(`${name}\n`)
      .update(readFileSync(path.join(dir, name)))
      .update('\n');
  }
  return hash.digest('hex');
}

/** The digest of the modules beside `moduleUrl` (a module's `import.meta.url`): built or source. */
export function folderCodeDigest(moduleUrl: string): string {
  const self = fileURLToPath(moduleUrl);
  return codeDigest(path.dirname(self), path.extname(self));
}
