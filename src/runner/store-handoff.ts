/**
 * The store's side of a host whose steps ran away from the store (on a queue worker, in a worker
 * thread), on the store's owner: what the steps need to know of the host's stored files (to tell
 * changed from unchanged and to guard against a shrunk config), and putting what they returned into
 * the job's store through the same store resource a local run writes with, so the run's one commit
 * holds every host.
 */
import { NetopsError } from '../core/errors.js';
import { writeExplanation, type Explanation } from '../store/explanation.js';
import type { StoreSettings } from '../store/settings.js';
import { jobStore, storeDir } from '../tasks/resources/job-store.js';
import type { TaskContext } from '../tasks/task.js';
import type { Artefact } from './capture-store.js';

/** What a host's steps would have put in the store, returned by whoever ran them. */
export interface StoredByHost {
  /** Who ran the steps, for messages: a worker's name, `thread 2`. */
  readonly worker: string;
  readonly artefacts: readonly Artefact[];
  /** Explanations written away from the store's state folder (a queue worker's), to copy there. */
  readonly explanations: readonly Explanation[];
}

/** The files of the host the tasks read back from the store: its config and its facts. */
const hostFiles = (host: string): string[] => [`configs/${host}.cfg`, `facts/${host}.json`];

export async function previousFiles(ctx: TaskContext): Promise<Record<string, string>> {
  if (ctx.job.settings['store'] === undefined) return {};
  const { store } = await jobStore(ctx);
  const previous: Record<string, string> = {};
  for (const file of hostFiles(ctx.host.name)) {
    const text = await store.read(file);
    if (text !== undefined) previous[file] = text;
  }
  return previous;
}

/** Writes the host's files as its steps would have on this machine; the commit comes when the run ends. */
export async function applyHostDone(ctx: TaskContext, done: StoredByHost): Promise<void> {
  if (done.artefacts.length === 0 && done.explanations.length === 0) return;
  const { store } = await jobStore(ctx);
  const own = hostFiles(ctx.host.name);
  for (const artefact of done.artefacts) {
    // Steps touch their own host's files only; a worker's word is not taken for any other.
    if (!own.includes(artefact.path)) {
      throw new NetopsError(
        'QUEUE_FAILED',
        `worker ${done.worker} returned ${artefact.path} for host ${ctx.host.name}`,
        {
          hint: 'Nothing of this host was stored; check that the worker runs the same netops version as the coordinator.',
          host: ctx.host.name,
        },
      );
    }
  }
  for (const artefact of done.artefacts) {
    if (artefact.kind === 'write') await store.write(artefact.path, artefact.content, artefact.note);
    else await store.keepAside(artefact.path, artefact.content, artefact.reason);
  }
  const dir = storeDir(ctx.job.dir, ctx.job.settings['store'] as StoreSettings);
  for (const explanation of done.explanations) await writeExplanation(dir, explanation);
}
