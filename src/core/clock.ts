/**
 * The wall clock of run history: when a run started and how old a host's last good backup is.
 * `NETOPS_NOW` (an ISO time) moves it, for tests only: the clock starts at that instant when the
 * process starts and runs on from there, so a test can stage "25 hours later" without waiting.
 * Read here and nowhere else; durations keep using the monotonic clock.
 */
const origin = process.env['NETOPS_NOW'];
const shift = origin === undefined || Number.isNaN(Date.parse(origin)) ? 0 : Date.parse(origin) - Date.now();

export function now(): Date {
  return new Date(Date.now() + shift);
}
