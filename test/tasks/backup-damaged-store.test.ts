/**
 * A backup into a store damaged by hand or by the disk: the last committed copy still guards the
 * host when its working copy was deleted, and a config stored and committed is reported so even when
 * git cannot show its diff.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, statSync } from 'node:fs';
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
  it('guards a host whose working copy was deleted by hand with its committed copy', async () => {
    const first = await run(await t.job('deleted-first', { method: 'show' }), 'r1');
    expect(first.hosts[0]?.status).toBe('changed');
    const good = git('show', 'HEAD:configs/r1.cfg');
    expect(good.length).toBeGreaterThan(45_000);
    const body = device('r1').body();
    const working = path.join(store(), 'configs', 'r1.cfg');

    // A change: the committed copy is the one replaced, not a first copy.
    rmSync(working);
    await boot('r1', body.replace(/\nend\n$/, '\nbanner motd ^changed^\nend\n'));
    const changed = await run(await t.job('deleted-changed', { method: 'show' }), 'r1');
    expect(changed.hosts[0]?.steps[0]).toMatchObject({
      status: 'changed',
      summary: expect.stringMatching(/, changed$/),
      data: { created: false, diff: expect.stringContaining('+banner motd ^changed^') },
    });
    expect(git('log', '--format=%B', '-1')).toContain('r1: config changed (via show)');

    // A tenth of the config, still ending in `end`: what a device that lost its configuration sends.
    // Deleted with `git rm` this time: out of git's index too.
    git('rm', '-q', 'configs/r1.cfg');
    await boot('r1', `${body.slice(0, 5_000).replace(/\n[^\n]*$/, '')}\nend\n`);
    const shrunk = await run(await t.job('deleted-shrunk', { method: 'show' }), 'r1');
    const step = shrunk.hosts[0]!.steps[0]!;
    expect(step.status).toBe('failed');
    expect(step.error).toMatchObject({ code: 'CONFIG_REJECTED', details: { reason: 'SHRUNK' } });
    expect(git('log', '--format=%B', '-1')).not.toContain('first copy stored');
    // The last good copy stays current: put back in the working tree, its deletion never committed,
    // so the next run's shrink check still has it.
    const lastGood = git('show', 'HEAD:configs/r1.cfg');
    expect(lastGood).toContain('banner motd ^changed^');
    expect(readFileSync(working, 'utf8')).toBe(lastGood);
    expect(git('status', '--porcelain', '--', 'configs/')).toBe('');
    const again = await run(await t.job('deleted-shrunk-again', { method: 'show' }), 'r1');
    expect(again.hosts[0]?.steps[0]?.error).toMatchObject({ details: { reason: 'SHRUNK' } });
    await boot('r1', body);
  });

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
