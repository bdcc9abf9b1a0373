/**
 * Which hosts of a run may leave the main thread and how many threads `auto` takes: hosts whose
 * backup may upload to the hosted TFTP server (one listener per machine) stay; so do whole jobs
 * with a restore vault or a collect report; `auto` takes a thread per core from 50 such hosts on
 * 4 cores or more.
 */
import { describe, expect, it } from 'vitest';
import type { Job, JobStep } from '../../src/config/job.js';
import {
  AUTO_MIN_CORES,
  AUTO_MIN_HOSTS,
  hostStaysOnMain,
  jobStaysOnMain,
  threadCount,
} from '../../src/runner/thread-plan.js';
import { tasks } from '../../src/tasks/registry.js';
import { testHost } from '../helpers/host.js';

function job(steps: Array<Pick<JobStep, 'task' | 'params'>>, settings: Record<string, unknown> = {}): Job {
  return {
    file: '/jobs/j.yaml',
    dir: '/jobs',
    name: 'j',
    inventoryFiles: [],
    limit: [],
    concurrency: 100,
    stepTimeoutMs: 60_000,
    connectTimeoutMs: 10_000,
    retries: 0,
    retryBackoffMs: 0,
    confirm: false,
    trustNewHostKeys: false,
    recordsDir: '/jobs/runs',
    steps: steps.map((s) => ({ name: s.task, timeoutMs: undefined, retries: undefined, ...s })),
    settings,
  };
}

const backup = (params: Record<string, unknown>) =>
  job([{ task: 'backup', params: tasks['backup']!.params.parse(params) }]);
const ios = testHost('r1', {
  platform: 'ios',
  credentials: { name: 'lab', username: 'u', password: { value: 'p' } },
});

describe('thread plan', () => {
  it('keeps a backup that may upload to the hosted TFTP server on the main thread, a show backup not', () => {
    expect(hostStaysOnMain(backup({}), tasks, ios)).toBe(true);
    expect(hostStaysOnMain(backup({ method: 'tftp-cli' }), tasks, ios)).toBe(true);
    // A method that cannot apply to the host (no SNMP settings) never reaches the server.
    expect(hostStaysOnMain(backup({ method: 'tftp-snmp' }), tasks, ios)).toBe(false);
    expect(hostStaysOnMain(backup({ method: 'show' }), tasks, ios)).toBe(false);
    const showOnly = { ...ios, data: { backupMethods: ['show'] } };
    expect(hostStaysOnMain(backup({}), tasks, showOnly)).toBe(false);
  });

  it('keeps whole jobs with a restore vault or a collect report on the main thread', () => {
    const plain = backup({ method: 'show' });
    expect(jobStaysOnMain(plain)).toBeUndefined();
    expect(jobStaysOnMain({ ...plain, settings: { restore: { enabled: true } } })).toMatch(/restore/);
    const report = job([{ task: 'collect', params: { report: { file: 'r.html' } } }]);
    expect(jobStaysOnMain(report)).toMatch(/writes a report/);
  });

  it('auto: one thread per core from 50 hosts that may leave the main thread, on 4 cores or more', () => {
    expect(threadCount('auto', AUTO_MIN_HOSTS - 1, 8)).toBe(1);
    expect(threadCount('auto', AUTO_MIN_HOSTS, 8)).toBe(8);
    expect(threadCount('auto', 1000, AUTO_MIN_CORES)).toBe(AUTO_MIN_CORES);
    expect(threadCount('auto', 1000, 2)).toBe(1);
    expect(threadCount('auto', 1000, 1)).toBe(1);
    expect(threadCount(3, 1000, 1)).toBe(3);
    expect(threadCount(8, 2, 16)).toBe(2);
    expect(threadCount(4, 0, 16)).toBe(1);
  });
});
