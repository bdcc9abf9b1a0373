/**
 * OpenSSH options for logging in to lab devices whose host keys are new on every start: no prompt,
 * no pinning into the user's known_hosts, no "Permanently added" warning in the output under test.
 */
export const throwawayHostKeyOptions: readonly string[] = [
  '-o',
  'StrictHostKeyChecking=no',
  '-o',
  'UserKnownHostsFile=/dev/null',
  '-o',
  'LogLevel=ERROR',
];
