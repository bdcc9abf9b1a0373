/** The --queue-* flags that say how to reach the queue's Redis, the same on run, worker and queue status. */
import type { QueueAccess } from '../../queue/connection.js';

export interface QueueAccessFlags {
  queuePasswordFile?: string;
  queueCa?: string;
  queueCert?: string;
  queueKey?: string;
}

export function queueAccess(url: string, flags: QueueAccessFlags): QueueAccess {
  return {
    url,
    passwordFile: flags.queuePasswordFile,
    caFile: flags.queueCa,
    certFile: flags.queueCert,
    keyFile: flags.queueKey,
  };
}
