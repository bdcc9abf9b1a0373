/**
 * A store writer to be killed: opens the store under its lock (built code in dist/), writes every
 * host's config for a version, commits, and goes on with the next version until killed (`loop`), or
 * does one version and closes (`once`). Prints `w VERSION HOST` after each write, `c VERSION`
 * before each commit and `C VERSION` after it, so the crash test can kill at chosen moments.
 *
 * Usage: node crash-driver.mjs STORE_DIR FIRST_VERSION loop|once HOSTS
 */
import { GitStore } from '../../dist/store/git-store.js';
import { crashConfig } from './crash-config.mjs';

const [dir, first, mode, hostCount] = process.argv.slice(2);
const hosts = Array.from({ length: Number(hostCount) }, (_, i) => `r${i + 1}`);
const say = (line) => process.stdout.write(`${line}\n`);

const store = await GitStore.open({ dir, purpose: 'job crash-test', gitConcurrency: 2 });
for (let version = Number(first); ; version++) {
  for (const host of hosts) {
    await store.write(`configs/${host}.cfg`, crashConfig(host, version), `${host}: version ${version}`);
    say(`w ${version} ${host}`);
  }
  const totals = {
    job: 'crash-test',
    startedAt: new Date().toISOString(),
    counts: { ok: 0, changed: hosts.length, failed: 0, skipped: 0 },
    failedHosts: [],
    aborted: false,
  };
  say(`c ${version}`);
  if (mode === 'once') {
    await store.close(totals);
    say(`C ${version}`);
    break;
  }
  await store.commit(totals);
  say(`C ${version}`);
}
