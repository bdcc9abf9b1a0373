/**
 * `--report FORMAT FILE` (repeatable): the run written for other tools when it ends, `junit` (CI
 * servers) or `json` (the run record, docs/schema/run-record.schema.json). Checked before anything
 * is contacted; a report that cannot be written is a run error, and the record still is.
 */
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { NetopsError, toNetopsError, type ErrorRecord } from '../../core/errors.js';
import type { RunRecord } from '../../runner/run-record.js';

/** Each format's writer, loaded when the run ends: checking `--report` before a plan loads none. */
const formats = {
  junit: async (record: RunRecord) => (await import('../../runner/junit.js')).junitXml(record),
  json: (record: RunRecord) => Promise.resolve(`${JSON.stringify(record, null, 2)}\n`),
} as const;

export type ReportFormat = keyof typeof formats;

export interface ReportRequest {
  readonly format: ReportFormat;
  /** Absolute path. */
  readonly file: string;
}

/** `['junit', 'out.xml', 'json', 'run.json']` as given on the command line, in pairs. */
export function parseReports(values: readonly string[]): ReportRequest[] {
  const requests: ReportRequest[] = [];
  for (let i = 0; i < values.length; i += 2) {
    const format = values[i]!;
    const file = values[i + 1];
    if (!(format in formats) || file === undefined || file.startsWith('-')) {
      throw new NetopsError(
        'CONFIG_INVALID',
        `--report expects FORMAT FILE pairs with FORMAT ${Object.keys(formats).join(' or ')}, got "${values.join(' ')}"`,
        { hint: 'Example: netops run JOB --report junit results.xml (put JOB before --report).' },
      );
    }
    requests.push({ format: format as ReportFormat, file: path.resolve(file) });
  }
  return requests;
}

export async function writeReports(
  requests: readonly ReportRequest[],
  record: RunRecord,
): Promise<ErrorRecord[]> {
  const errors: ErrorRecord[] = [];
  for (const { format, file } of requests) {
    try {
      await writeFileAtomic(file, await formats[format](record), { mode: 0o600 });
    } catch (error) {
      const reason = toNetopsError(error).message;
      errors.push(
        new NetopsError('REPORT_FAILED', `could not write the ${format} report ${file}: ${reason}`, {
          hint: 'Check that the folder exists and is writable; the run record has the same results.',
        }).toJSON(),
      );
    }
  }
  return errors;
}
