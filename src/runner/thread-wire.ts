/**
 * What the main thread and a run's worker threads (host-threads.ts, host-thread.ts) say to each
 * other. Messages are structured clones inside one process: a host goes with its secret references
 * and the thread resolves them itself; results come back redacted, artefacts sanitized.
 */
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import type { ErrorRecord } from '../core/errors.js';
import type { RunSummary } from '../tasks/task.js';
import type { HostKeyCheck } from '../transport/known-hosts.js';
import type { Artefact } from './capture-store.js';
import type { HostResult } from './run-record.js';

/** A worker thread's `workerData`. */
export interface ThreadSetup {
  readonly job: Job;
}

/** An error crossing between threads: its record and the host it concerns. */
export interface ThreadError {
  readonly error: ErrorRecord;
  readonly host?: string | undefined;
}

export type ToThread =
  /** Run the host's steps; `previous`: the store's copy of its files. */
  | {
      readonly type: 'host';
      readonly id: number;
      readonly host: Host;
      readonly previous: Readonly<Record<string, string>>;
    }
  /** The run was interrupted: abort every host in flight. */
  | { readonly type: 'abort' }
  /** The main thread's answer to a `pin`. */
  | { readonly type: 'pinned'; readonly id: number; readonly outcome: 'known' | 'pinned' }
  | ({ readonly type: 'pinned'; readonly id: number } & ThreadError)
  /** The run is over: close the thread's resources. */
  | { readonly type: 'close'; readonly summary: RunSummary };

export type FromThread =
  | { readonly type: 'started'; readonly id: number }
  | {
      readonly type: 'log';
      readonly host: string;
      readonly message: string;
      readonly fields?: Record<string, unknown> | undefined;
    }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly result: HostResult;
      readonly artefacts: readonly Artefact[];
    }
  /** A new SSH host key to verify and pin on the main thread (the known-hosts file's one writer). */
  | { readonly type: 'pin'; readonly id: number; readonly check: HostKeyCheck; readonly keyBlob: Uint8Array }
  | { readonly type: 'closed'; readonly errors: readonly ErrorRecord[] };
