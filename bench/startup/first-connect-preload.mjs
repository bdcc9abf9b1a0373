// Preloaded into a `netops run` (`node --import`): at the process's first TCP connect (its first
// host's session starting) it writes what the start-up cost to NETOPS_FIRST_CONNECT_FILE (CPU of
// every thread and of the main thread alone, wall since the process started) and interrupts the run
// as Ctrl-C would, so a 1,000-host job is measured up to its first host only.
// NETOPS_FIRST_CONNECT_PROFILE=FILE also writes a V8 CPU profile of the main thread up to that point.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import net from 'node:net';

const file = process.env.NETOPS_FIRST_CONNECT_FILE;
if (file) watch(file, process.env.NETOPS_FIRST_CONNECT_PROFILE);

function watch(file, profileFile) {
  const session = profileFile ? startProfile() : undefined;
  const connect = net.Socket.prototype.connect;
  let seen = false;
  net.Socket.prototype.connect = function firstConnect(...args) {
    if (!seen) {
      seen = true;
      const { user, system } = process.cpuUsage();
      writeFileSync(
        file,
        JSON.stringify({ wallMs: performance.now(), cpuUs: user + system, mainUs: mainThreadUs() }),
      );
      if (session) stopProfile(session, profileFile);
      process.kill(process.pid, 'SIGINT');
    }
    return connect.apply(this, args);
  };
}

/** CPU of the main thread alone, from /proc (clock ticks of 10 ms). */
function mainThreadUs() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function startProfile() {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  return session;
}

function stopProfile(session, profileFile) {
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(profileFile, JSON.stringify(result.profile));
    session.disconnect();
  });
}
