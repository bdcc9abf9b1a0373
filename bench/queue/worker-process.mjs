// One `netops worker` process of the built CLI, as an operator starts it on a site's machine: in the
// site's namespace when it has one (`ip netns exec` execs node in place, so the PID is the worker's),
// ready once it says so on stderr, ended by its PID. Used by the queue tests and the queue bench.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const netops = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function exitOf(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

function argvOf(o) {
  const args = [netops, 'worker', '--queue', o.queue, '--name', o.name, '--site', o.site]
    .concat(['--concurrency', String(o.concurrency), '--stalled-ms', String(o.stalledMs ?? 30_000)])
    .concat(o.placeholderKey ? ['--placeholder-key', o.placeholderKey] : [])
    .concat((o.tftpListen ?? []).flatMap((address) => ['--tftp-listen', address]))
    .concat(o.queueFlags ?? []);
  const node = [process.execPath, ...args];
  return o.namespace ? ['ip', 'netns', 'exec', o.namespace, ...node] : node;
}

/** Starts the worker and resolves once it takes jobs; rejects with its output if it ends first. */
export async function startWorkerProcess(o) {
  const [command, ...args] = argvOf(o);
  const child = spawn(command, args, {
    env: { ...process.env, ...o.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = exitOf(child);
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      log += chunk.toString();
      if (log.includes(`worker ${o.name} ready`)) resolve();
    });
    exited.then((e) =>
      reject(
        new Error(`worker ${o.name} ended (${e.signal ?? `exit ${e.code}`}) before it was ready:\n${log}`),
      ),
    );
  });
  return {
    name: o.name,
    pid: child.pid,
    log: () => log,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(child.pid, 'SIGTERM');
      const killer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
