// Preloaded into a profiled netops process (`node --import`): at exit it writes the process's own CPU
// time (user + system of every thread, getrusage) to NETOPS_PROFILE_CPU_FILE, exact where a /proc
// poll from outside can miss the last interval.
import { writeFileSync } from 'node:fs';

const file = process.env.NETOPS_PROFILE_CPU_FILE;
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(process.cpuUsage())));
