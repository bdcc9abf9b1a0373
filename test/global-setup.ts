/**
 * Runs once before the suite: the interop tests talk to real Debian daemons and clients, so their
 * packages are installed here by the project's own script (idempotent). A machine where they cannot
 * be installed fails the whole suite with the command to run; nothing is skipped silently.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/install-deps.sh', import.meta.url));

export default function setup(): () => void {
  // The `netops` commands the tests start keep their V8 code caches (src/cli/code-cache.cts) in a
  // folder of the suite's own, not in the user's ~/.cache; the test workers inherit this variable.
  const cache = mkdtempSync(path.join(os.tmpdir(), 'netops-test-cache-'));
  process.env['XDG_CACHE_HOME'] = cache;
  installDependencies();
  return () => rmSync(cache, { recursive: true, force: true });
}

function installDependencies(): void {
  try {
    execFileSync('bash', [script, '--check'], { stdio: 'pipe' });
    return;
  } catch {
    // something is missing: install it below
  }
  try {
    execFileSync('bash', [script], { stdio: 'inherit' });
  } catch {
    throw new Error(`test dependencies are missing and could not be installed; run: sudo bash ${script}`);
  }
}
