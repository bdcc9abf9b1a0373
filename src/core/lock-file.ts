/**
 * An exclusive lock file naming its holder: PID, host, what it is doing, when it started, and the
 * two facts that make the PID mean one process only: its start time since boot (/proc/PID/stat
 * field 22) and the boot id (/proc/sys/kernel/random/boot_id). A lock is stale only when its holder
 * is provably gone: another boot, no such PID, or that PID now belongs to a process that started
 * at another time. A lock from another machine (a shared folder) cannot be checked and is respected.
 *
 * Taking over a stale lock renames it aside and checks that what was moved is the stale lock that
 * was judged, so two runs taking over the same stale lock at once cannot both win.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NetopsError } from './errors.js';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** What the holder does, for the refusal message (e.g. `job nightly-backup`). */
  readonly purpose: string;
  readonly startedAt: string;
  /** /proc/PID/stat field 22 (clock ticks since boot) when the lock was taken; absent off Linux. */
  readonly procStart?: string;
  readonly bootId?: string;
  /** Unique per acquisition: tells a fresh lock from the stale one it replaced. */
  readonly token: string;
}

export type Acquired =
  | { readonly ok: true; readonly tookOver: LockHolder | undefined }
  | { readonly ok: false; readonly holder: LockHolder | undefined };

/** `/proc/PID/stat` field 22, the process start time in clock ticks since boot. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) is in parentheses and may hold spaces or ')': count after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[22 - 3];
  } catch {
    return undefined;
  }
}

export function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function currentHolder(purpose: string): LockHolder {
  const procStart = processStartTime(process.pid);
  const boot = bootId();
  return {
    pid: process.pid,
    host: os.hostname(),
    purpose,
    startedAt: new Date().toISOString(),
    ...(procStart === undefined ? {} : { procStart }),
    ...(boot === undefined ? {} : { bootId: boot }),
    token: randomBytes(8).toString('hex'),
  };
}

/** Whether the holder may still be running; false only when that is proven impossible. */
export function holderAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  const boot = bootId();
  if (holder.bootId !== undefined && boot !== undefined && holder.bootId !== boot) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartTime(holder.pid);
  if (holder.procStart !== undefined && started !== undefined && started !== holder.procStart) return false;
  return true;
}

export async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' ? (parsed as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates `file` holding `me` unless a live holder has it. The file appears whole or not at all
 * (written beside it, then hard-linked into place), so a reader never sees a half-written holder.
 */
export async function acquireLockFile(file: string, me: LockHolder): Promise<Acquired> {
  await mkdir(path.dirname(file), { recursive: true });
  const draft = `${file}.${me.token}`;
  let tookOver: LockHolder | undefined;
  try {
    // Inside the try: a write the disk refuses part-way leaves no draft behind.
    await writeFile(draft, `${JSON.stringify(me)}\n`, { mode: 0o644 });
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(draft, file);
        return { ok: true, tookOver };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readHolder(file);
      if (holder === undefined) {
        // Unreadable: an older format or a lock half-written by a crash before this scheme. Its age
        // cannot be judged from content, so it is moved aside like a stale one.
        await moveAsideIf(file, undefined);
        continue;
      }
      if (holderAlive(holder)) return { ok: false, holder };
      if (await moveAsideIf(file, holder.token)) tookOver = holder;
    }
    return { ok: false, holder: await readHolder(file) };
  } finally {
    await rm(draft, { force: true });
  }
}

/** Renames the lock aside and removes it when it is the one judged stale; puts it back otherwise. */
async function moveAsideIf(file: string, token: string | undefined): Promise<boolean> {
  const aside = `${file}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved?.token === token) {
    await rm(aside, { force: true });
    return true;
  }
  // Another process replaced the stale lock in between: that fresh lock is theirs, restore it.
  await link(aside, file).catch(() => undefined);
  await rm(aside, { force: true });
  return false;
}

/** Removes the lock only if it is still ours. */
export async function releaseLockFile(file: string, me: LockHolder): Promise<void> {
  const holder = await readHolder(file);
  if (holder?.token === me.token) await rm(file, { force: true });
}

export function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.host}, ${holder.purpose}, started ${holder.startedAt}`;
}

/**
 * The refusal of a lock held by a live holder: `busy` says what is in use, the holder is named, and
 * the hint says it frees itself (or, with no readable holder, that something keeps retaking it).
 */
export function lockedError(busy: string, file: string, holder: LockHolder | undefined): NetopsError {
  return new NetopsError(
    'LOCKED',
    holder ? `${busy} (${describeHolder(holder)})` : `${busy}: ${file} keeps being taken`,
    {
      hint: holder
        ? `Try again when it has finished; netops takes the lock over by itself once that process has ended. Remove ${file} by hand only if the holder is on another machine and is gone for good.`
        : 'Check for runs started in a loop.',
      details: { lock: file, ...(holder ? { holder } : {}) },
    },
  );
}
