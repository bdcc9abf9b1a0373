/** The runner's promises: concurrency, time limits, transient-only retries, isolation of failures, abort. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Job } from '../../src/config/job.js';
import type { Host } from '../../src/config/model.js';
import { NetopsError } from '../../src/core/errors.js';
import { runRecordSchema } from '../../src/runner/run-record.js';
import { runJob } from '../../src/runner/runner.js';
import { defineTask, type AnyTask } from '../../src/tasks/task.js';
import { testHost } from '../helpers/host.js';

const hosts = (n: number): Host[] =>
  Array.from({ length: n }, (_, i) => testHost(`h${i + 1}`, { address: `198.18.0.${i + 1}` }));

const job = (
  steps: Array<{ task: string; params?: unknown; timeoutMs?: number; retries?: number }>,
  over: Partial<Job> = {},
): Job => ({
  file: 'jobs/test.yaml',
  dir: '/tmp',
  name: 'test',
  inventoryFiles: [],
  limit: [],
  concurrency: 4,
  stepTimeoutMs: 5_000,
  connectTimeoutMs: 1_000,
  retries: 0,
  retryBackoffMs: 1,
  confirm: false,
  trustNewHostKeys: false,
  recordsDir: 'runs',
  settings: {},
  steps: steps.map((s) => ({
    name: s.task,
    params: s.params ?? {},
    timeoutMs: s.timeoutMs,
    retries: s.retries,
    task: s.task,
  })),
  ...over,
});

/** Resolves on a later turn of the event loop, so that overlapping tasks really overlap. */
const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runner', () => {
  it('never has more than `concurrency` hosts in flight, and uses all of it', async () => {
    let inFlight = 0;
    let peak = 0;
    const work = defineTask({
      name: 'work',
      summary: 'test',
      params: z.object({}),
      async run() {
        peak = Math.max(peak, ++inFlight);
        await tick();
        inFlight--;
        return { status: 'ok' };
      },
    });
    const record = await runJob({
      job: job([{ task: 'work' }], { concurrency: 3 }),
      hosts: hosts(12),
      tasks: { work },
    });
    expect(peak).toBe(3);
    expect(record.summary).toMatchObject({ hosts: 12, ok: 12, failed: 0 });
  });

  it('cuts a task that never settles at its timeout while the other hosts finish', async () => {
    const hang = defineTask({
      name: 'hang',
      summary: 'test',
      params: z.object({}),
      // Ignores its signal on purpose: the runner must not depend on tasks being polite.
      run: (ctx) =>
        ctx.host.name === 'h2' ? new Promise(() => undefined) : Promise.resolve({ status: 'ok' as const }),
    });
    const record = await runJob({
      job: job([{ task: 'hang', timeoutMs: 200 }]),
      hosts: hosts(4),
      tasks: { hang },
    });
    const h2 = record.hosts.find((h) => h.host === 'h2')!;
    expect(h2.status).toBe('failed');
    expect(h2.steps[0]?.error).toMatchObject({ code: 'STEP_TIMEOUT' });
    expect(h2.steps[0]?.error?.hint).toMatch(/timeout/);
    expect(record.summary).toMatchObject({ ok: 3, failed: 1 });
    expect(record.exitCode).toBe(1);
  });

  it('retries transient errors with backoff up to the limit, and never retries others', async () => {
    const attempts = new Map<string, number>();
    const flaky = defineTask({
      name: 'flaky',
      summary: 'test',
      params: z.object({}),
      async run(ctx) {
        const n = (attempts.get(ctx.host.name) ?? 0) + 1;
        attempts.set(ctx.host.name, n);
        if (ctx.host.name === 'h1' && n < 3) {
          throw new NetopsError('CONNECT_REFUSED', 'refused', { hint: 'h', transient: true });
        }
        if (ctx.host.name === 'h2') throw new NetopsError('AUTH_FAILED', 'bad password', { hint: 'h' });
        if (ctx.host.name === 'h3')
          throw new NetopsError('CONNECT_TIMEOUT', 'slow', { hint: 'h', transient: true });
        return { status: 'changed' };
      },
    });
    const record = await runJob({
      job: job([{ task: 'flaky', retries: 2 }]),
      hosts: hosts(3),
      tasks: { flaky },
    });
    expect(attempts.get('h1')).toBe(3);
    expect(attempts.get('h2')).toBe(1);
    expect(attempts.get('h3')).toBe(3);
    const byHost = Object.fromEntries(record.hosts.map((h) => [h.host, h]));
    expect(byHost['h1']?.status).toBe('changed');
    expect(byHost['h1']?.steps[0]?.attempts).toBe(3);
    expect(byHost['h2']?.steps[0]?.error?.code).toBe('AUTH_FAILED');
    expect(byHost['h3']?.steps[0]?.error?.code).toBe('CONNECT_TIMEOUT');
  });

  it('retries a destructive step only when its connection failed: once connected, its erase or reload may have reached the device', async () => {
    const attempts = new Map<string, number>();
    // Destructive on h1 and h3, not on h2 (a command step is so on the hosts whose platform knows the line).
    const erase = defineTask({
      name: 'erase',
      summary: 'test',
      params: z.object({}),
      destructive: (_params, host) => (host?.name === 'h2' ? [] : ['write erase']),
      async run(ctx) {
        const n = (attempts.get(ctx.host.name) ?? 0) + 1;
        attempts.set(ctx.host.name, n);
        if (ctx.host.name === 'h3' && n === 1)
          throw new NetopsError('CONNECT_REFUSED', 'refused', { hint: 'h', transient: true });
        if (ctx.host.name === 'h3') return { status: 'ok' };
        throw new NetopsError('PROMPT_TIMEOUT', 'no prompt after the command', {
          hint: 'h',
          transient: true,
        });
      },
    });
    const record = await runJob({
      job: job([{ task: 'erase', retries: 2 }], { confirm: true }),
      hosts: hosts(3),
      tasks: { erase },
    });
    expect(attempts.get('h1')).toBe(1);
    expect(attempts.get('h2')).toBe(3);
    // Refused before anything was sent: retried, then done.
    expect(attempts.get('h3')).toBe(2);
    const step = (name: string) => record.hosts.find((h) => h.host === name)?.steps[0];
    const [h1, h2, h3] = [step('h1'), step('h2'), step('h3')];
    expect(h1?.error?.code).toBe('PROMPT_TIMEOUT');
    expect(h1?.notes?.join(' ')).toContain('not retried: the step erases or reloads');
    expect(h2?.notes).toBeUndefined();
    expect(h3?.status).toBe('ok');
  });

  it('a failed step skips the rest of that host only', async () => {
    const ran: string[] = [];
    const first = defineTask({
      name: 'first',
      summary: 'test',
      params: z.object({}),
      async run(ctx) {
        if (ctx.host.name === 'h1') throw new Error('boom');
        return { status: 'ok' };
      },
    });
    const second = defineTask({
      name: 'second',
      summary: 'test',
      params: z.object({}),
      async run(ctx) {
        ran.push(ctx.host.name);
        return { status: 'ok' };
      },
    });
    const record = await runJob({
      job: job([{ task: 'first' }, { task: 'second' }]),
      hosts: hosts(3),
      tasks: { first, second },
    });
    expect(ran.sort()).toEqual(['h2', 'h3']);
    const h1 = record.hosts.find((h) => h.host === 'h1')!;
    expect(h1.steps.map((s) => s.status)).toEqual(['failed', 'skipped']);
    expect(h1.steps[0]?.error).toMatchObject({ code: 'INTERNAL', message: 'boom' });
  });

  it('on abort stops scheduling, aborts what is in flight, and still returns a full record', async () => {
    const controller = new AbortController();
    let started = 0;
    const slow = defineTask({
      name: 'slow',
      summary: 'test',
      params: z.object({}),
      run: (ctx) =>
        new Promise((resolve) => {
          if (++started === 2) setTimeout(() => controller.abort(), 10);
          const timer = setTimeout(() => resolve({ status: 'ok' }), 10_000);
          ctx.signal.addEventListener('abort', () => clearTimeout(timer));
        }),
    });
    const record = await runJob({
      job: job([{ task: 'slow' }], { concurrency: 2 }),
      hosts: hosts(6),
      tasks: { slow },
      signal: controller.signal,
    });
    expect(started).toBe(2);
    expect(record.aborted).toBe(true);
    expect(record.exitCode).toBe(3);
    expect(record.hosts).toHaveLength(6);
    expect(
      record.hosts.filter((h) => h.status === 'failed').every((h) => h.steps[0]?.error?.code === 'ABORTED'),
    ).toBe(true);
    expect(record.hosts.filter((h) => h.status === 'skipped')).toHaveLength(4);
  });

  it('keeps resolved secrets out of summaries, data and errors', async () => {
    const leaky = defineTask({
      name: 'leaky',
      summary: 'test',
      params: z.object({}),
      async run(ctx) {
        const password = await ctx.secret({ env: 'UNUSED' });
        throw new NetopsError('AUTH_FAILED', `device said: bad password ${password}`, {
          hint: 'h',
          details: { echo: password },
        });
      },
    });
    const record = await runJob({
      job: job([{ task: 'leaky' }]),
      hosts: hosts(1),
      tasks: { leaky },
      secret: async () => 's3cr3t-value',
    });
    expect(JSON.stringify(record)).not.toContain('s3cr3t-value');
    expect(record.hosts[0]?.steps[0]?.error?.message).toBe('device said: bad password ********');
  });

  it('refuses destructive steps without confirmation, before any host runs', async () => {
    let ran = false;
    const erase: AnyTask = defineTask({
      name: 'erase',
      summary: 'test',
      params: z.object({}),
      destructive: () => true,
      async run() {
        ran = true;
        return { status: 'changed' };
      },
    });
    await expect(
      runJob({ job: job([{ task: 'erase' }]), hosts: hosts(1), tasks: { erase } }),
    ).rejects.toMatchObject({
      code: 'CONFIRM_REQUIRED',
    });
    expect(ran).toBe(false);
    const record = await runJob({
      job: job([{ task: 'erase' }]),
      hosts: hosts(1),
      tasks: { erase },
      confirmed: true,
    });
    expect(record.summary.changed).toBe(1);
  });

  it('produces records that validate against the published schema, and closes resources with the summary', async () => {
    const summaries: unknown[] = [];
    const useStore = defineTask({
      name: 'use-store',
      summary: 'test',
      params: z.object({}),
      async run(ctx) {
        await ctx.resource('store', async () => ({ close: async (run) => void summaries.push(run) }));
        return { status: ctx.host.name === 'h1' ? 'changed' : 'ok', data: { n: 1 } };
      },
    });
    const record = await runJob({
      job: job([{ task: 'use-store' }]),
      hosts: hosts(3),
      tasks: { 'use-store': useStore },
    });
    expect(runRecordSchema.safeParse(record).success).toBe(true);
    expect(summaries).toEqual([
      expect.objectContaining({ changedHosts: ['h1'], failedHosts: [], aborted: false }),
    ]);
  });

  it('hands a resource the caller opened to every task asking for it, and closes it once when one was used', async () => {
    const closed: string[] = [];
    const opened = (name: string) => ({ name, close: async () => void closed.push(name) });
    let openedByTask = 0;
    const useStore = defineTask({
      name: 'use-store',
      summary: 'test',
      params: z.object({}),
      async run(ctx) {
        const store = await ctx.resource('store', async () => {
          openedByTask++;
          return opened('by a task');
        });
        return { status: 'ok', data: { store: store.name } };
      },
    });
    const record = await runJob({
      job: job([{ task: 'use-store' }]),
      hosts: hosts(3),
      tasks: { 'use-store': useStore },
      opened: new Map([
        ['store', opened('by the caller')],
        ['unused', opened('never asked for')],
      ]),
    });
    expect(record.hosts.map((h) => h.steps[0]?.data?.['store'])).toEqual([
      'by the caller',
      'by the caller',
      'by the caller',
    ]);
    expect(openedByTask).toBe(0);
    expect(closed).toEqual(['by the caller']);
  });
});
