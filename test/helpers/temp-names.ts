/** What a test needs to know of the temp names atomic writes take (src/core/atomic-write.ts). */
import { tempName } from '../../src/core/atomic-write.js';

/** The name `tempName(prefix)` gives next in this thread: the count in the names grows by one per call. */
export function nextTempName(prefix: string): string {
  const now = tempName(prefix);
  const count = /-([0-9a-z]+)\.tmp$/.exec(now)?.[1] as string;
  return now.replace(/-[0-9a-z]+\.tmp$/, `-${(parseInt(count, 36) + 1).toString(36)}.tmp`);
}
