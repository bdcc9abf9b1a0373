/**
 * What a task sees of the run on one host: secrets that are masked wherever they could be written,
 * resources shared by every host of the run, and a log that names the host.
 */
import type { Host } from '../config/model.js';
import type { Job } from '../config/job.js';
import type { resolveSecret } from '../config/secrets.js';
import type { AnyTask, Closable, TaskContext } from '../tasks/task.js';
import type { Redactor } from './redactor.js';

/** Hears what tasks log on each host. */
export interface TaskLogObserver {
  /** Task diagnostics, already free of secrets. */
  log?(host: string, message: string, fields?: Record<string, unknown>): void;
}

/** What every host of one run shares. */
export interface RunShared {
  readonly job: Job;
  readonly tasks: Readonly<Record<string, AnyTask>>;
  readonly observer?: TaskLogObserver | undefined;
  readonly redact: Redactor;
  readonly readSecret: typeof resolveSecret;
  /** Opened on first use by any host, closed when the run ends. */
  readonly resources: Map<string, Promise<Closable>>;
  /** Opened by the caller before the run (RunOptions.opened): used instead of opening another. */
  readonly opened?: ReadonlyMap<string, Closable> | undefined;
}

/** The context of every step on `host`; each step adds its own signal. */
export function hostContext(host: Host, run: RunShared): Omit<TaskContext, 'signal'> {
  const { job, observer, redact, readSecret, resources, opened } = run;
  return {
    host,
    job: { name: job.name, dir: job.dir, settings: job.settings },
    secret: async (ref) => {
      const value = await readSecret(ref);
      redact.add(value);
      return value;
    },
    resource: <T extends Closable>(key: string, open: () => Promise<T>) => {
      let resource = resources.get(key);
      if (!resource) {
        const ready = opened?.get(key);
        resource = ready ? Promise.resolve(ready) : open();
        resources.set(key, resource);
        // A resource that failed to open is retried by the next host rather than failing all of them.
        resource.catch(() => resources.delete(key));
      }
      return resource as Promise<T>;
    },
    log: (message, fields) => observer?.log?.(host.name, redact.text(message), redact.value(fields)),
    redact: (text) => redact.text(text),
  };
}
