/**
 * The OS and version a device announces in sysDescr, read with patterns the platforms give
 * (`src/platforms/<os>/sysdescr.ts`): the matcher knows no OS of its own.
 */
import type { OsInfo } from '../facts/os-info.js';

/** One way an OS words its sysDescr. Named groups `platform`, `image`, `version` fill the OsInfo. */
export interface SysDescrPattern {
  /** The OS name stored in the facts (`ios`, `ios-xe`, `nx-os`, `linux`). */
  readonly os: string;
  /** Matched against the sysDescr folded to one line. */
  readonly match: RegExp;
  /** The sysDescr must also match this (IOS-XE announces itself as IOS, with `IOS-XE` elsewhere in the text). */
  readonly when?: RegExp;
}

/** The first pattern that matches names the OS; `unknown` when none does. */
export function matchSysDescr(descr: string, patterns: readonly SysDescrPattern[]): OsInfo {
  const oneLine = descr.replace(/\s*\r?\n\s*/g, ' ').trim();
  for (const pattern of patterns) {
    if (pattern.when && !pattern.when.test(oneLine)) continue;
    const groups = pattern.match.exec(oneLine)?.groups;
    if (!groups) continue;
    return {
      name: pattern.os,
      ...(groups.version ? { version: groups.version } : {}),
      ...(groups.image ? { image: groups.image } : {}),
      ...(groups.platform ? { platform: groups.platform.trim() } : {}),
    };
  }
  return { name: 'unknown' };
}
