#!/usr/bin/env node
/**
 * The `netops` command as installed (package.json bin). `netops --version` alone (what wrappers and
 * monitoring call most) is answered here; `--help` alone by main.js (a few small modules); every
 * other command runs from the CLI's bundle with its V8 code cache (code-cache.cts). This file is
 * CommonJS so the version needs no ES module at all: Node's ES module loader, started for an ES
 * entry, cost about 6% of that command (callgrind, 31 of 546 M instructions; node -e 0 is 503 M).
 * main.js answers the same when run directly.
 *
 * The bundle is `npm run build`'s (scripts/bundle.mjs, from dist/). Without it (a build by `tsc`
 * alone), or older than main.js (tsc rewrote dist/ after it), or with NETOPS_NO_BUNDLE=1, main.js
 * runs: the same code, its modules loaded one by one.
 */
import fs = require('node:fs');
import path = require('node:path');
import packageJson = require('../../package.json');
import type codeCache = require('./code-cache.cjs');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  printVersion(`${packageJson.version}\n`);
} else {
  const bundle = path.join(__dirname, 'bundle.cjs');
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) void import('./main.js');
  else if (process.env['NETOPS_NO_BUNDLE'] !== '1' && current(bundle, path.join(__dirname, 'main.js'))) {
    // Required here, not imported at the top: `--version` loads no other file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('./code-cache.cjs') as typeof codeCache).runBundle(bundle, args);
  } else void import('./main.js');
}

/** Whether `bundle` exists and was made from the modules beside it, not before tsc rewrote them. */
function current(bundle: string, main: string): boolean {
  try {
    return fs.statSync(bundle).mtimeMs >= fs.statSync(main).mtimeMs;
  } catch {
    return false;
  }
}

/**
 * Written to fd 1 directly: `process.stdout` would first build a stream (a net.Socket for a pipe),
 * most of what this command costs beyond bare node (callgrind, to a pipe, without NODE_EXTRA_CA_CERTS:
 * 103-105 M instructions that way, 87-89 M this way, `node -e 0` 83-88 M),
 * and would report a reader that closed the pipe early (`netops --version | head -0`) as an
 * unhandled EPIPE with a stack trace. That reader wants nothing more: the command still ends with 0.
 */
function printVersion(text: string): void {
  try {
    fs.writeSync(1, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A full non-blocking stdout (set so by another process sharing it): the stream waits for room.
    if (code === 'EAGAIN') {
      process.stdout.on('error', (streamError: NodeJS.ErrnoException) => {
        if (streamError.code !== 'EPIPE') throw streamError;
      });
      process.stdout.write(text);
    } else if (code !== 'EPIPE') {
      throw error;
    }
  }
}
