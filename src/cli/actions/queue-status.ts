/** What `netops queue status` prints: workers, sites and runs, as tables or JSON. */
import { queueStatus, type QueueStatus } from '../../queue/status.js';
import { queueAccess, type QueueAccessFlags } from './queue-access.js';

export interface QueueStatusFlags extends QueueAccessFlags {
  queue: string;
  json?: boolean;
}

export async function queueStatusCommand(flags: QueueStatusFlags): Promise<number> {
  const status = await queueStatus(queueAccess(flags.queue, flags));
  process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
  return 0;
}

function formatStatus(status: QueueStatus): string {
  const workers = status.workers.map(
    (w) =>
      `  ${w.name}  site ${w.site}  IPv${w.families.join('+IPv')}  ${w.machine} pid ${w.pid}  concurrency ${w.concurrency}  ${w.live ? 'live' : `silent since ${w.seenAt}`}`,
  );
  const sites = status.sites.map(
    (s) => `  ${s.site}  waiting ${s.waiting}  active ${s.active}  failed ${s.failed}`,
  );
  const runs = status.runs.map(
    (r) => `  ${r.id}  ${r.job}  ${r.done}/${r.hosts} hosts done  sites ${r.sites.join(', ')}`,
  );
  return [
    `workers (${status.workers.filter((w) => w.live).length} live):`,
    ...(workers.length > 0 ? workers : ['  none']),
    'sites:',
    ...sites,
    'runs:',
    ...(runs.length > 0 ? runs : ['  none']),
    '',
  ].join('\n');
}
