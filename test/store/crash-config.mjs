/** The config the crash driver writes for a host and version: about 12 KB, complete (ends in `end`). */
export function crashConfig(host, version) {
  const lines = [`hostname ${host}`, `! version ${version}`, '!'];
  for (let i = 0; i < 200; i++) {
    lines.push(`interface GigabitEthernet0/${i}`, ` description ${host} port ${i} v${version}`, '!');
  }
  lines.push('end');
  return `${lines.join('\n')}\n`;
}

/** The version a stored text is, if it is exactly one the driver writes for `host`; else undefined. */
export function crashVersion(host, text) {
  const version = Number(/^! version (\d+)$/m.exec(text)?.[1]);
  return Number.isInteger(version) && crashConfig(host, version) === text ? version : undefined;
}
