/** What goes into an alert, and when there is none. */
import { describe, expect, it } from 'vitest';
import { buildAlert, type AlertInput } from '../../src/notify/message.js';

const quiet: AlertInput = {
  job: 'nightly-backup',
  startedAt: '2026-11-23T02:00:00.000Z',
  counts: { ok: 200, changed: 0, failed: 0, skipped: 0 },
  failed: [],
  changed: [],
};

const failure = (host: string) => ({
  host,
  step: 'backup',
  code: 'CONNECT_TIMEOUT',
  message: 'm',
  hint: 'h',
});
const change = (host: string, lines = 1) => ({
  host,
  diff: `--- a/configs/${host}.cfg\n+++ b/configs/${host}.cfg\n@@ -1,${lines} +1,${lines} @@\n${'+x\n'.repeat(lines)}`,
});

describe('buildAlert', () => {
  it('stays silent when nothing failed or changed', () => {
    expect(buildAlert(quiet)).toBeUndefined();
  });

  it('names the first failed and changed hosts in the subject', () => {
    const alert = buildAlert({
      ...quiet,
      failed: ['r7', 'r9', 'r12', 'r13', 'r14'].map(failure),
      changed: ['r1', 'r2'].map((h) => change(h)),
    });
    expect(alert?.subject).toBe('netops nightly-backup: 5 failed (r7, r9, r12 +2), 2 changed (r1, r2)');
  });

  it('sends stale hosts under the failure trigger: in the subject, a STALE section and the payload', () => {
    const stale = [
      {
        host: 'r7',
        lastGoodAt: '2026-11-21T02:00:00.000Z',
        since: '2026-11-21T02:00:00.000Z',
        ageMs: 49 * 3_600_000,
      },
      { host: 'r8', since: '2026-11-22T01:00:00.000Z', ageMs: 26 * 3_600_000 },
    ];
    const alert = buildAlert({ ...quiet, stale });
    expect(alert?.subject).toBe('netops nightly-backup: 2 stale (r7, r8)');
    expect(alert?.text).toContain(
      'STALE (2)\n\nr7  no good run since 2026-11-21T02:00:00.000Z (49.0 h)\nr8  never good, first tried 2026-11-22T01:00:00.000Z (26.0 h)\n',
    );
    expect(alert?.payload.stale).toEqual(stale);
    expect(buildAlert({ ...quiet, stale }, { on: ['change'] })).toBeUndefined();
  });

  it("follows the job's choice of triggers", () => {
    const changedOnly = { ...quiet, changed: [change('r1')] };
    expect(buildAlert(changedOnly, { on: ['failure'] })).toBeUndefined();
    expect(buildAlert(changedOnly, { on: ['change'] })?.subject).toBe(
      'netops nightly-backup: 1 changed (r1)',
    );
    expect(buildAlert({ ...quiet, failed: [failure('r7')] }, { on: ['change'] })).toBeUndefined();
  });

  it('says when a run was aborted, even with no failed host', () => {
    const alert = buildAlert({ ...quiet, aborted: true }, { on: ['failure'] });
    expect(alert?.subject).toBe('netops nightly-backup: ABORTED');
    expect(alert?.text).toContain('(run aborted before all hosts were done)');
  });

  it('cuts long diffs and says how much was left out', () => {
    const alert = buildAlert({ ...quiet, changed: [change('r1', 500)] }, { diffLines: 20 });
    expect(alert?.payload.changed[0]?.omittedLines).toBe(483);
    expect(alert?.payload.changed[0]?.diff.split('\n')).toHaveLength(21);
    expect(alert?.text).toContain("... 483 more diff lines in the store's history");
  });
});
