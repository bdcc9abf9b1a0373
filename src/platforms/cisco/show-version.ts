/** What IOS, IOS-XE and NX-OS `show version` print alike (device-reference.md §1.6, §4.7): the host name and uptime. */

export interface VersionBasics {
  readonly hostname: string;
  /** Uptime in hundredths of a second, when the output says it. */
  readonly upTimeTicks?: number;
}

export function versionBasics(text: string): VersionBasics {
  // NX-OS names the device on its own line; its "Kernel uptime is" line is not a host name.
  const hostname =
    /^\s*Device name:\s*(\S+)/m.exec(text)?.[1] ?? /^(?!Kernel )(\S+) uptime is /m.exec(text)?.[1] ?? '';
  const uptime = /uptime is (.+)$/m.exec(text)?.[1];
  const ticks = uptime === undefined ? undefined : uptimeTicks(uptime);
  return { hostname, ...(ticks === undefined ? {} : { upTimeTicks: ticks }) };
}

const unitSeconds: Readonly<Record<string, number>> = {
  year: 31_536_000,
  week: 604_800,
  day: 86_400,
  hour: 3_600,
  minute: 60,
  second: 1,
};

/** `20 weeks, 1 day, 1 hour, 40 minutes` or `1 day(s), 1 hour(s), 14 minute(s), 14 second(s)`. */
function uptimeTicks(text: string): number | undefined {
  let seconds = 0;
  let found = false;
  for (const m of text.matchAll(/(\d+)\s*(year|week|day|hour|minute|second)/g)) {
    seconds += Number(m[1]) * (unitSeconds[m[2]!] ?? 0);
    found = true;
  }
  return found ? seconds * 100 : undefined;
}
