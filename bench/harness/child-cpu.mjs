// CPU seconds (user + system) of the processes this one has waited for, with their own waited-for
// descendants (/proc/self/stat cutime + cstime): the cost of a peer's whole process tree, which
// neither the lab in this process nor other users of the machine add to.
import { readFileSync } from 'node:fs';

const ticksPerSecond = 100; // USER_HZ, 100 on Linux

export function childCpuSeconds() {
  // Fields after the command name: state is field 3, cutime 16 and cstime 17 (proc(5)).
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / ticksPerSecond;
}

/** This process's own CPU seconds (utime + stime). */
export function ownCpuSeconds() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[14 - 3]) + Number(fields[15 - 3])) / ticksPerSecond;
}
