/** What `netops worker` does: start a queue worker and keep it until SIGTERM or Ctrl-C. */
import { hostname } from 'node:os';
import path from 'node:path';
import { stateDir } from '../../core/state-dir.js';
import { QueueWorker } from '../../queue/worker.js';
import { queueAccess, type QueueAccessFlags } from './queue-access.js';

export interface WorkerFlags extends QueueAccessFlags {
  queue: string;
  name?: string;
  site: string;
  concurrency: number;
  tftpListen?: string[];
  tftpAdvertise?: string[];
  placeholderKey?: string;
  stalledMs: number;
}

export async function workerCommand(flags: WorkerFlags): Promise<number> {
  const name = flags.name ?? `${hostname()}-${process.pid}`;
  const log = (line: string) => process.stderr.write(`netops: worker ${name}: ${line}\n`);
  const worker = await QueueWorker.start({
    access: queueAccess(flags.queue, flags),
    name,
    site: flags.site,
    concurrency: flags.concurrency,
    tftpListen: flags.tftpListen ?? [],
    tftpAdvertise: flags.tftpAdvertise ?? [],
    placeholderKeyFile: flags.placeholderKey,
    stalledMs: flags.stalledMs,
    stagingDir: path.join(stateDir(), 'worker'),
    log,
  });
  process.stderr.write(`netops: worker ${worker.name} ready on site ${flags.site} (queue ${flags.queue})\n`);
  let signals = 0;
  await new Promise<void>((resolve) => {
    const stop = () => {
      signals++;
      if (signals === 1) {
        process.stderr.write(`netops: worker ${worker.name}: stopping after the hosts in progress\n`);
        void worker.close().then(resolve);
      } else void worker.close(true).then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
