/**
 * What goes through Redis, as JSON: a run's plan (once per run), one small job per host, and one
 * result per host with the files its steps would have written to the store. Secrets never travel:
 * hosts carry secret references (`{ env }`, `{ file }`) that the worker resolves itself, and the
 * artefacts are the store's sanitized text.
 */
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import type { StoredByHost } from '../runner/store-handoff.js';
import type { HostResult } from '../runner/run-record.js';

/** The run as the coordinator planned it: what a worker needs for any host, and what `--resume` continues. */
export interface RunPlan {
  readonly version: 1;
  readonly runId: string;
  readonly startedAt: string;
  readonly job: Job;
  readonly hosts: readonly Host[];
  /** Seconds a site may go without a live worker before its hosts fail. */
  readonly siteTimeout: number;
}

/**
 * What Redis keeps of a run once every host has its outcome: the plan and the results (whole
 * configs) expire soon after, they were only needed to resume it.
 */
export interface FinishedRun {
  readonly job: string;
  readonly hosts: number;
  readonly done: number;
  readonly sites: readonly string[];
  readonly finishedAt: string;
}

/** One host of one run, as enqueued on its site's queue. */
export interface HostJob {
  readonly runId: string;
  readonly host: string;
  /** The store's current copy of the host's files (configs/HOST.cfg, facts/HOST.json), sanitized. */
  readonly previous: Readonly<Record<string, string>>;
}

/** What a worker returns for a host: the runner's result and what to put in the store. */
export interface HostDone extends StoredByHost {
  readonly host: string;
  readonly result: HostResult;
}

/** A worker's advertisement, refreshed while it lives (`queue status`, the coordinator's site check). */
export interface WorkerAd {
  readonly name: string;
  readonly site: string;
  /** Address families its TFTP server listens on (where devices can upload to it). */
  readonly families: readonly (4 | 6)[];
  readonly machine: string;
  readonly pid: number;
  readonly concurrency: number;
  readonly startedAt: string;
  /** Last heartbeat (ISO 8601); a worker silent for 3 heartbeats is gone. */
  readonly seenAt: string;
}

/** How often a worker says it is alive, and how long before the silence means it is gone. */
export const HEARTBEAT_MS = 2_000;
export const GONE_AFTER_MS = 3 * HEARTBEAT_MS;

export function isLive(ad: WorkerAd, at: number): boolean {
  return at - Date.parse(ad.seenAt) < GONE_AFTER_MS;
}
