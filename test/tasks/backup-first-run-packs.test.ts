/**
 * A first run of a mixed fleet (IOS and NX-OS hosts finishing in turns) packs each platform's new
 * configs apart: `netops run` tells the store the hosts' platforms, so git deltas a config against a
 * sibling's (src/store/family-packers.ts). Each platform has the hosts a family needs.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAMILY_MIN_HOSTS } from '../../src/store/family-packers.js';
import { useBackupLab } from '../helpers/labs.js';
import { runNetops } from '../helpers/netops-cli.js';

const devices = 2 * FAMILY_MIN_HOSTS;
const t = useBackupLab({ devices, platforms: ['ios', 'nxos'], configBytes: 5_000 });

describe('a first run of a mixed fleet', () => {
  it("stores every config, each platform's in a pack of its own", async () => {
    const job = await t.job('first', { method: 'show' });
    const result = await runNetops(['run', job, '--json', '--concurrency', '32', '--limit', 'r*,!*-v6'], {
      cwd: t.dir,
      env: t.env,
    });
    expect(JSON.parse(result.stdout).summary).toMatchObject({ changed: devices, failed: 0 });
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', path.join(t.dir, 'store'), ...args], { encoding: 'utf8' });
    expect(git('ls-tree', '--name-only', 'HEAD', 'configs/').trim().split('\n')).toHaveLength(devices);
    expect(git('count-objects', '-v')).toMatch(/^packs: 2$/m);
    git('fsck', '--strict', '--no-progress');
  });
});
