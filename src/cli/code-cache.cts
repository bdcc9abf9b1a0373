/**
 * Runs the CLI's CommonJS bundle (dist/cli/bundle.cjs, made by scripts/bundle.mjs from dist/) with a
 * V8 code cache, as v8-compile-cache does: Node 20 keeps no compile cache of its own for our code,
 * and without one every command parses and compiles its modules anew (a plan of 1,000 hosts spent
 * about a fifth of its CPU loading and compiling ~280 ES module files).
 *
 * The cache is V8's serialised bytecode of the bundle, made once the command has ended (so the
 * functions it ran, compiled lazily, are in it) and kept in the user's own cache folder. It is a
 * pure optimisation: a missing, corrupt, foreign or rejected cache is compiled from source, silently,
 * and written anew; a folder that cannot be written (a read-only home) only means no cache.
 *
 * It holds executable code, so it is read only from a folder that the user owns and that no one
 * else can write (nor its parent, unless that is sticky, as /tmp is), and named by the SHA-256 of
 * the bundle's bytes, Node's version, the architecture and the V8 options of the process: a cache
 * made for another bundle is never offered to V8. Its own SHA-256 heads the file, so a damaged
 * payload is never handed to V8 either (V8 checks its header, not every byte).
 */
import buffer = require('node:buffer');
import crypto = require('node:crypto');
import fs = require('node:fs');
import Module = require('node:module');
import os = require('node:os');
import path = require('node:path');
import vm = require('node:vm');

const digestBytes = 32;

/** What a run of the bundle did with its cache (`NETOPS_CODE_CACHE_DEBUG=1` prints it to stderr). */
type CacheOutcome = 'used' | 'none' | 'rejected' | 'corrupt' | 'off';

/** Runs the bundle `bundle` (a CommonJS script) for the command `args`. */
function runBundle(bundle: string, args: readonly string[]): void {
  const bytes = fs.readFileSync(bundle);
  // scripts/bundle.mjs writes ASCII only: read as Latin-1, one byte a character, no UTF-8 decoding.
  const text = buffer.isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  // Node's own CommonJS wrapper, on the bundle's first line: stack traces keep the bundle's lines.
  const source = `(function (exports, require, module, __filename, __dirname) {${text.replace(/^#!/, '//')}\n})`;
  const dir = cacheFolder();
  const file = dir === undefined ? undefined : path.join(dir, cacheName(bytes, args));
  const payload = dir === undefined || file === undefined ? undefined : readCache(dir, file);
  const script = new vm.Script(source, {
    filename: bundle,
    ...(Buffer.isBuffer(payload) ? { cachedData: payload } : {}),
  });
  const outcome: CacheOutcome =
    file === undefined
      ? 'off'
      : payload === undefined
        ? 'none'
        : payload === 'corrupt'
          ? 'corrupt'
          : script.cachedDataRejected === true
            ? 'rejected'
            : 'used';
  if (process.env['NETOPS_CODE_CACHE_DEBUG'] === '1') process.stderr.write(`netops code cache: ${outcome}\n`);
  if (dir !== undefined && file !== undefined && outcome !== 'used') {
    // Once the command has ended: the functions it compiled lazily go into the cache too.
    process.once('exit', () => writeCache(dir, file, script));
  }
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  const bundleModule = { exports: {} };
  run.call(
    bundleModule.exports,
    bundleModule.exports,
    Module.createRequire(bundle),
    bundleModule,
    bundle,
    path.dirname(bundle),
  );
}

/**
 * The cache's folder: `$XDG_CACHE_HOME/netops` (an absolute path), else `~/.cache/netops`; undefined
 * where there is no home folder to speak of.
 */
function cacheFolder(): string | undefined {
  const xdg = process.env['XDG_CACHE_HOME'];
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, 'netops');
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  return home === '' || !path.isAbsolute(home) ? undefined : path.join(home, '.cache', 'netops');
}

/**
 * The cache's file name for this bundle, Node, architecture, V8 options and command: a command name
 * (with `+plan` for `--plan`) keeps a cache of what that command compiles, so a cron's `netops run`
 * is not served what a `netops run --plan` or `netops status` compiled.
 */
function cacheName(bundle: Buffer, args: readonly string[]): string {
  const v8Options = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].join('\0');
  const bundleKey = crypto.createHash('sha256').update(bundle).digest('hex').slice(0, 32);
  const nodeKey = crypto
    .createHash('sha256')
    .update(`${process.version}\0${process.arch}\0${v8Options}`)
    .digest('hex')
    .slice(0, 16);
  const command = args[0] !== undefined && /^[a-z][a-z-]{0,31}$/.test(args[0]) ? args[0] : '-';
  return `${bundleKey}-${nodeKey}.${command}${args.includes('--plan') ? '+plan' : ''}.v8cache`;
}

/** Whether `stats` is a folder or file of this user's that no one else can write. */
function ownedAndPrivate(stats: fs.Stats): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}

/**
 * A folder fit to hold code this process will run: the user's own, written by no one else, and its
 * parent not writable by others either (so it cannot be swapped), unless sticky (/tmp).
 */
function trustedFolder(dir: string): boolean {
  try {
    const stats = fs.lstatSync(dir);
    if (!stats.isDirectory() || !ownedAndPrivate(stats)) return false;
    const parent = fs.statSync(path.dirname(dir));
    const uid = process.getuid?.();
    const parentOwner = uid === undefined || parent.uid === uid || parent.uid === 0;
    return parentOwner && ((parent.mode & 0o022) === 0 || (parent.mode & 0o1000) !== 0);
  } catch {
    return false;
  }
}

/** The cache's payload once its digest is checked; 'corrupt' for a file that is not one; undefined: none. */
function readCache(dir: string, file: string): Buffer | 'corrupt' | undefined {
  if (!trustedFolder(dir)) return undefined;
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile() || !ownedAndPrivate(stats)) return undefined;
    const data = fs.readFileSync(fd);
    if (data.length <= digestBytes) return 'corrupt';
    const payload = data.subarray(digestBytes);
    const digest = crypto.createHash('sha256').update(payload).digest();
    return digest.equals(data.subarray(0, digestBytes)) ? payload : 'corrupt';
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes the cache of what `script` compiled, atomically (a temp file renamed over the name), in a
 * folder made private (0700) if need be; silently nothing where that cannot be done. Caches of
 * other bundles (an older netops) are removed.
 */
function writeCache(dir: string, file: string, script: vm.Script): void {
  let temp: string | undefined;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!trustedFolder(dir)) return;
    const payload = script.createCachedData();
    const digest = crypto.createHash('sha256').update(payload).digest();
    temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, Buffer.concat([digest, payload]), { flag: 'wx', mode: 0o600 });
    fs.renameSync(temp, file);
    temp = undefined;
    const bundleKey = path.basename(file).split('-')[0]!;
    for (const name of fs.readdirSync(dir)) {
      if (name.endsWith('.v8cache') && !name.startsWith(`${bundleKey}-`))
        fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // A read-only or full home folder, a race with another netops: the next command compiles again.
  } finally {
    if (temp !== undefined) fs.rmSync(temp, { force: true });
  }
}

export = { runBundle, cacheFolder, cacheName };
