/**
 * Runs once before the suite: the interop tests talk to real Debian daemons and clients, so their
 * packages are installed here by the project's own script (idempotent). A machine where they cannot
 * be installed fails the whole suite with the command to run; nothing is skipped silently.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/install-deps.sh', import.meta.url));

export default function setup(): void {
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
