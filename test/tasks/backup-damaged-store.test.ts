/**
 * A backup into a store damaged by hand or by the disk: a config stored and committed is reported
 * so even when git cannot show its diff.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRecordSchema, type RunRecord } from '../../src/runner/run-record.js';
import { runNetops } from '../helpers/netops-cli.js';
import { useBackupLab } from '../helpers/labs.js';

const t = useBackupLab({ devices: 2, platforms: ['ios'], configBytes: 50_000, bootMs: 100 });
const store = () => path.join(t.dir, 'store');
const git = (...args: string[]) => execFileSync('git', ['-C', store(), ...args], { encoding: 'utf8' });
const device = (name: string) => t.lab.devices.find((d) => d.name === name)!.device;

async function run(job: string, limit: string): Promise<RunRecord> {
  const result = await runNetops(['run', job, '--json', '--limit', limit], { cwd: t.dir, env: t.env });
  return runRecordSchema.parse(JSON.parse(result.stdout));
}

/** Gives the device this startup-config and reloads it: its running config is then that text. */
async function boot(name: string, config: string): Promise<void> {
  const booted = once(device(name), 'booted');
  device(name).setStartup(config);
  device(name).reload('test');
  await booted;
}

describe('a backup into a damaged store', () => {
  it('reports a changed config stored and committed as changed, with a warning, when git cannot diff it', async () => {
    await run(await t.job('undiffable-first', { method: 'show' }), 'r2');
    // A damaged store: the object of r2's committed copy is gone (loose, as a first commit leaves it).
    const object = git('rev-parse', 'HEAD:configs/r2.cfg').trim();
    rmSync(path.join(store(), '.git', 'objects', object.slice(0, 2), object.slice(2)));
    const body = device('r2').body();
    await boot('r2', body.replace(/\nend\n$/, '\nbanner motd ^changed^\nend\n'));

    const record = await run(await t.job('undiffable', { method: 'show' }), 'r2');
    const host = record.hosts[0]!;
    expect(host.status, JSON.stringify(host.steps[0]?.error)).toBe('changed');
    expect(host.steps[0]?.warnings).toEqual([
      expect.stringMatching(/^configs\/r2\.cfg is stored, but git could not diff it .*unable to read/),
    ]);
    expect(git('show', 'HEAD:configs/r2.cfg')).toContain('banner motd ^changed^');
    expect(git('log', '--format=%B', '-1')).toContain('r2: config changed (via show)');
    expect(statSync(path.join(store(), 'configs', 'r2.cfg')).size).toBeGreaterThan(45_000);
    await boot('r2', body);
  });
});
