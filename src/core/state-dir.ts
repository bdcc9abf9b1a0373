/**
 * Where netops keeps state that is neither configuration nor backups: pinned SSH host keys and the
 * like. `NETOPS_STATE_DIR` wins, then `$XDG_STATE_HOME/netops`, then `~/.local/state/netops`.
 */
import os from 'node:os';
import path from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['NETOPS_STATE_DIR']) return env['NETOPS_STATE_DIR'];
  if (env['XDG_STATE_HOME']) return path.join(env['XDG_STATE_HOME'], 'netops');
  return path.join(os.homedir(), '.local', 'state', 'netops');
}
