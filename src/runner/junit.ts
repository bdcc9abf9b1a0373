/**
 * A run as JUnit XML (`netops run --report junit FILE`), the format CI servers read: one
 * `<testsuite>` per host, one `<testcase>` per step (classname `JOB.HOST`, name the step), a failed
 * step as `<failure type="CODE">` with the message and hint, a skipped one as `<skipped>`. A host
 * over the job's `alert_stale_after` gets one more testcase, `stale`, failed: CI then goes red for
 * it even on a run that did not attempt it. Follows the common JUnit schema (Jenkins' junit-10.xsd
 * layout); test/runner/junit.test.ts validates the output with xmllint.
 */
import type { HostResult, RunRecord, StaleHost, StepResult } from './run-record.js';

export function junitXml(record: RunRecord): string {
  const stale = new Map((record.stale ?? []).map((s) => [s.host, s]));
  const suites = record.hosts.map((h) => hostSuite(record, h, stale.get(h.host)));
  // Stale hosts this run did not attempt still get a suite of their own.
  const attempted = new Set(record.hosts.map((h) => h.host));
  for (const s of stale.values()) if (!attempted.has(s.host)) suites.push(staleOnlySuite(record, s));
  const total = sum(suites.map((s) => s.counts));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`netops ${record.job}`)}" tests="${total.tests}" failures="${total.failures}" errors="0" skipped="${total.skipped}" time="${seconds(record.durationMs)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Counts {
  readonly tests: number;
  readonly failures: number;
  readonly skipped: number;
}

interface Suite {
  readonly xml: string;
  readonly counts: Counts;
}

function hostSuite(record: RunRecord, host: HostResult, stale: StaleHost | undefined): Suite {
  const classname = `${record.job}.${host.host}`;
  const cases = host.steps.map((step) => stepCase(classname, step));
  if (stale) cases.push(staleCase(classname, stale));
  return suite(record, host.host, host.durationMs, cases, host.platform);
}

function staleOnlySuite(record: RunRecord, stale: StaleHost): Suite {
  return suite(record, stale.host, 0, [staleCase(`${record.job}.${stale.host}`, stale)]);
}

interface Case {
  readonly xml: string;
  readonly outcome: 'passed' | 'failed' | 'skipped';
}

function suite(
  record: RunRecord,
  name: string,
  durationMs: number,
  cases: readonly Case[],
  platform?: string,
): Suite {
  const counts = {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome === 'failed').length,
    skipped: cases.filter((c) => c.outcome === 'skipped').length,
  };
  const properties = [
    ['run-id', record.id],
    ['job', record.job],
    ...(platform === undefined ? [] : [['platform', platform]]),
  ]
    .map(([k, v]) => `      <property name="${attr(k!)}" value="${attr(v!)}"/>`)
    .join('\n');
  const xml = [
    `  <testsuite name="${attr(name)}" tests="${counts.tests}" failures="${counts.failures}" errors="0" skipped="${counts.skipped}" time="${seconds(durationMs)}" timestamp="${record.startedAt.slice(0, 19)}" hostname="${attr(name)}">`,
    `    <properties>\n${properties}\n    </properties>`,
    ...cases.map((c) => c.xml),
    '  </testsuite>',
  ].join('\n');
  return { xml, counts };
}

function stepCase(classname: string, step: StepResult): Case {
  const open = `    <testcase classname="${attr(classname)}" name="${attr(step.name)}" time="${seconds(step.durationMs)}"`;
  if (step.status === 'failed') {
    const e = step.error;
    const body = e ? `${e.message}\nhint: ${e.hint}` : (step.summary ?? 'failed');
    return {
      outcome: 'failed',
      xml: `${open}>\n      <failure type="${attr(e?.code ?? 'FAILED')}" message="${attr(e?.message ?? 'failed')}">${text(body)}</failure>\n    </testcase>`,
    };
  }
  if (step.status === 'skipped') {
    return {
      outcome: 'skipped',
      xml: `${open}>\n      <skipped message="${attr(step.summary ?? 'skipped')}"/>\n    </testcase>`,
    };
  }
  const out = [step.summary, ...(step.warnings ?? []).map((w) => `warning: ${w}`)].filter(Boolean).join('\n');
  return {
    outcome: 'passed',
    xml: out === '' ? `${open}/>` : `${open}>\n      <system-out>${text(out)}</system-out>\n    </testcase>`,
  };
}

function staleCase(classname: string, stale: StaleHost): Case {
  const hours = (stale.ageMs / 3_600_000).toFixed(1);
  const message =
    stale.lastGoodAt === undefined
      ? `never good since the first attempt at ${stale.since} (${hours} h)`
      : `no good run since ${stale.lastGoodAt} (${hours} h)`;
  return {
    outcome: 'failed',
    xml: `    <testcase classname="${attr(classname)}" name="stale" time="0">\n      <failure type="STALE" message="${attr(message)}">${text(message)}</failure>\n    </testcase>`,
  };
}

function sum(counts: readonly Counts[]): Counts {
  return counts.reduce(
    (a, c) => ({
      tests: a.tests + c.tests,
      failures: a.failures + c.failures,
      skipped: a.skipped + c.skipped,
    }),
    { tests: 0, failures: 0, skipped: 0 },
  );
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** XML 1.0 cannot carry most control characters, even escaped; device output may hold them. */
// eslint-disable-next-line no-control-regex
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(value: string): string {
  return value.replace(notXml, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
