/** How a host's platform installs a complete config in place of its running one, for restore's plan and run. */
import type { Host } from '../../config/model.js';
import { workflowOf } from '../startup-config/host-workflow.js';

/** The startup-config params that replace the running config on this host's platform. */
export function installParams(host: Host): Record<string, unknown> {
  const workflow = workflowOf(host);
  if (workflow.kind !== 'install-in-place') return {};
  // IOS replaces the running config at once; a platform without replace copies and reloads.
  return workflow.replace ? { mode: 'replace' } : { mode: 'copy', reload: true };
}
