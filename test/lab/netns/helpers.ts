/**
 * Third-party clients run from the lab's management namespace (OpenSSH with sshpass, telnet driven
 * by expect, net-snmp's snmpbulkwalk), and the checks that a lab left nothing behind.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { frrRoles, frrTmpDir } from '../../../src/lab/netns/frr.js';
import type { NetnsState } from '../../../src/lab/netns/state.js';
import { throwawayHostKeyOptions } from '../../helpers/openssh.js';

export interface Output {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function sh(command: string, args: readonly string[], timeoutMs = 20_000): Promise<Output> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Runs a command in namespace `ns` (`ip netns exec`), as `netops lab exec` does for the management one. */
export const inNs = (ns: string, argv: readonly string[], timeoutMs?: number) =>
  sh('ip', ['netns', 'exec', ns, ...argv], timeoutMs);

const sshOptions = [...throwawayHostKeyOptions, '-o', 'ConnectTimeout=5'];

export function ssh(state: NetnsState, address: string, command: string): Promise<Output> {
  return inNs(state.management, [
    'sshpass',
    '-p',
    state.spec.password,
    'ssh',
    ...sshOptions,
    `${state.spec.username}@${address}`,
    command,
  ]);
}

const tclWord = (text: string) => `{${text.replace(/[{}\\]/g, '')}}`;

/**
 * An interactive CLI session driven by expect: log in when asked (`login:`/`Username:`,
 * `Password:`), then send each command at the prompt, answering a device's `[default]?` questions
 * with RETURN, as an engineer does for `copy running-config tftp://...`. Returns the transcript.
 */
export function cliSession(
  state: NetnsState,
  spawnArgv: readonly string[],
  commands: readonly string[],
): Promise<Output> {
  const prompt = '{[>#] ?$}';
  const lines = [
    'set timeout 20',
    `spawn ${spawnArgv.map(tclWord).join(' ')}`,
    'expect {',
    `  -re {(login|Username): ?$} { send -- ${tclWord(state.spec.username)}; send "\\r"; exp_continue }`,
    `  -re {[Pp]assword: ?$} { send -- ${tclWord(state.spec.password)}; send "\\r"; exp_continue }`,
    `  -re ${prompt} {}`,
    '  timeout { send_user "\\nNO-PROMPT\\n"; exit 2 }',
    '}',
    ...commands.flatMap((command) => [
      `send -- ${tclWord(command)}; send "\\r"`,
      'expect {',
      '  -re {\\]\\? ?$} { send "\\r"; exp_continue }',
      '  -re {--More-- ?$} { send " "; exp_continue }',
      `  -re ${prompt} {}`,
      '  timeout { send_user "\\nTIMEOUT\\n"; exit 3 }',
      '}',
    ]),
    'send "exit\\r"',
    'expect eof',
  ];
  return inNs(state.management, ['expect', '-c', lines.join('\n')], 60_000);
}

/** telnet to a device, log in, run `command`, exit. */
export function telnet(state: NetnsState, address: string, port: number, command: string): Promise<Output> {
  return cliSession(state, ['telnet', address, String(port)], [command]);
}

/** An interactive OpenSSH session (pty) running `commands` one after the other. */
export function sshSession(state: NetnsState, address: string, commands: readonly string[]): Promise<Output> {
  return cliSession(
    state,
    ['sshpass', '-p', state.spec.password, 'ssh', '-tt', ...sshOptions, `${state.spec.username}@${address}`],
    commands,
  );
}

/** The console line: connect, press RETURN, and wait for `text` (e.g. `Username:`). */
export function consoleLine(state: NetnsState, address: string, port: number, text: string): Promise<Output> {
  const script = [
    'set timeout 10',
    `spawn telnet ${address} ${port}`,
    'sleep 0.2',
    'send "\\r"',
    'expect {',
    `  -ex ${tclWord(text)} { send_user "\\nGOT-PROMPT\\n" }`,
    '  timeout { exit 2 }',
    '}',
  ].join('\n');
  return inNs(state.management, ['expect', '-c', script]);
}

export function snmpBulkWalk(
  state: NetnsState,
  transport: 'udp' | 'udp6',
  address: string,
  oid: string,
): Promise<Output> {
  const target = transport === 'udp6' ? `udp6:[${address}]:161` : `udp:${address}:161`;
  return inNs(state.management, [
    'snmpbulkwalk',
    '-v2c',
    '-c',
    state.spec.readCommunity,
    '-On',
    '-t',
    '2',
    '-r',
    '1',
    target,
    oid,
  ]);
}

/**
 * Interfaces that container labs of other test files own in the root namespace while this one runs:
 * podman's bridges (cni-podmanN) and the veths attached to them. They come and go with those labs.
 */
function containerLabInterfaces(links: string): Set<string> {
  const names = new Set<string>();
  for (const line of links.split('\n')) {
    const name = /^\d+: ([^:@]+)[@:]/.exec(line)?.[1];
    if (name && (/^cni-podman\d+$/.test(name) || / master cni-podman\d+ /.test(line))) names.add(name);
  }
  return names;
}

/**
 * Addresses, routes and links of the root namespace, to prove the lab never touches them; without
 * what other tests' container labs own meanwhile.
 */
export async function rootNetwork(): Promise<string> {
  const parts = await Promise.all([
    sh('ip', ['-o', 'addr']),
    sh('ip', ['-o', 'link']),
    sh('ip', ['-4', 'route', 'show', 'table', 'all']),
    sh('ip', ['-6', 'route', 'show', 'table', 'all']),
  ]);
  const others = containerLabInterfaces(parts[1]?.stdout ?? '');
  const ours = (line: string) =>
    ![...others].some((name) => new RegExp(`(^\\d+: |\\bdev )${name}[@:\\s]|\\bdev ${name}$`).test(line));
  // Link lines carry no counters without -s; drop the per-link qdisc queue state that the kernel may flip.
  return parts.map((p) => p.stdout.split('\n').filter(ours).join('\n')).join('\n---\n');
}

/** What of `state` still exists: namespaces and live processes. */
export async function leftovers(state: NetnsState): Promise<string[]> {
  const { stdout } = await sh('ip', ['netns', 'list']);
  const namespaces = stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(`${state.prefix}-`));
  const processes: string[] = [];
  for (const p of state.processes) {
    const stat = await sh('cat', [`/proc/${p.pid}/stat`]);
    const fields = stat.stdout.slice(stat.stdout.lastIndexOf(')') + 2).split(' ');
    if (stat.code === 0 && fields[19] === p.startTime && fields[0] !== 'Z')
      processes.push(`${p.name} (pid ${p.pid})`);
  }
  // FRR's crash-log folders, which it removes itself only when it exits cleanly.
  const frrFolders = state.processes
    .flatMap((p) =>
      frrRoles.filter((role) => p.name.endsWith(`/${role}`)).map((role) => frrTmpDir(role, p.pid)),
    )
    .filter((folder) => existsSync(folder));
  return [...namespaces, ...processes, ...frrFolders];
}
