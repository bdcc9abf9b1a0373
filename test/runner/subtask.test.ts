/**
 * Tasks compose through the runner (`ctx.run`): a step runs another task on its host with the
 * step's signal, its params checked by that task, its notes kept in the step's record, and a
 * destructive task only inside a destructive (confirmed) step.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Job } from '../../src/config/job.js';
import type { StepResult } from '../../src/runner/run-record.js';
import { runJob } from '../../src/runner/runner.js';
import type { CliSession } from '../../src/platforms/session.js';
import { withCliSession } from '../../src/tasks/cli-session.js';
import { defineTask, type AnyTask } from '../../src/tasks/task.js';
import { testHost } from '../helpers/host.js';

const host = testHost('h1');

const job = (task: string, params: unknown): Job => ({
  file: 'jobs/test.yaml',
  dir: '/tmp',
  name: 'test',
  inventoryFiles: [],
  limit: [],
  concurrency: 1,
  stepTimeoutMs: 5_000,
  connectTimeoutMs: 1_000,
  retries: 0,
  retryBackoffMs: 1,
  confirm: true,
  trustNewHostKeys: false,
  recordsDir: 'runs',
  settings: {},
  steps: [{ name: task, params, timeoutMs: undefined, retries: undefined, task }],
});

/** Counts to `to` on the host, noting it; refuses anything but a positive integer. */
const count = defineTask({
  name: 'count',
  summary: 'count',
  params: z.strictObject({ to: z.int().min(1) }),
  run: async (ctx, p) => {
    ctx.note?.(`counted to ${p.to} on ${ctx.host.name}`);
    return { status: 'ok', data: { counted: p.to, aborted: ctx.signal.aborted } };
  },
});

const wipe = defineTask({
  name: 'wipe',
  summary: 'wipe',
  params: z.strictObject({}),
  destructive: () => true,
  run: async () => ({ status: 'changed' }),
});

/** Runs `task` with `params` through ctx.run and reports what came back. */
const parent = (destructive: boolean) =>
  defineTask({
    name: 'parent',
    summary: 'parent',
    params: z.strictObject({ task: z.string(), params: z.unknown() }),
    destructive: () => destructive,
    run: async (ctx, p) => {
      const outcome = await ctx.run!(p.task, p.params);
      return { status: 'changed', data: { child: outcome } };
    },
  });

/** Reports whether the CLI session it works on is the one it was lent. */
const onSession = defineTask({
  name: 'on-session',
  summary: 'on-session',
  params: z.strictObject({}),
  run: async (ctx) => {
    const lent = await withCliSession(ctx, {}, async (session) => session === ctx.session);
    return { status: 'ok', data: { lent } };
  },
});

async function stepOf(task: AnyTask, params: unknown): Promise<StepResult> {
  const tasks = { parent: task, count, wipe, 'on-session': onSession };
  const record = await runJob({ job: job('parent', params), hosts: [host], tasks, confirmed: true });
  return record.hosts[0]!.steps[0]!;
}

describe('ctx.run', () => {
  it("runs the named task on the step's host and returns its outcome; its notes are the step's", async () => {
    const step = await stepOf(parent(false), { task: 'count', params: { to: 3 } });
    expect(step.status, JSON.stringify(step.error)).toBe('changed');
    expect(step.data).toEqual({ child: { status: 'ok', data: { counted: 3, aborted: false } } });
    expect(step.notes).toEqual(['counted to 3 on h1']);
  });

  it("fails the step when the task refuses the params, naming the task and the params' problem", async () => {
    const step = await stepOf(parent(false), { task: 'count', params: { to: 0 } });
    expect(step.status).toBe('failed');
    expect(step.error).toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('the count task refused'),
    });
  });

  it('fails the step on an unknown task, listing the known ones', async () => {
    const step = await stepOf(parent(false), { task: 'nope', params: {} });
    expect(step.error).toMatchObject({
      code: 'INTERNAL',
      hint: expect.stringContaining('parent, count, wipe, on-session'),
    });
  });

  it('runs a destructive task only inside a destructive step', async () => {
    const refused = await stepOf(parent(false), { task: 'wipe', params: {} });
    expect(refused.error?.message).toBe('the wipe task is destructive and this step is not');
    const ran = await stepOf(parent(true), { task: 'wipe', params: {} });
    expect(ran.data).toEqual({ child: { status: 'changed' } });
  });

  it("lends the step's open session: the task works on it and leaves it open", async () => {
    let closed = 0;
    const session = { close: async () => void closed++ } as unknown as CliSession;
    const lender = defineTask({
      name: 'parent',
      summary: 'parent',
      params: z.strictObject({}),
      run: async (ctx) => {
        const outcome = await ctx.run!('on-session', {}, { session });
        return { status: 'ok', data: { child: outcome.data } };
      },
    });
    const step = await stepOf(lender, {});
    expect(step.data).toEqual({ child: { lent: true } });
    expect(closed).toBe(0);
  });
});
