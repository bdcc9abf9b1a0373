#!/usr/bin/env node
/**
 * The `netops` command as installed (package.json bin); everything is main.js, imported, except
 * `netops --version` alone (what wrappers and monitoring call most), answered here. This file is
 * CommonJS so that answer needs no ES module at all: Node's ES module loader, started for an ES
 * entry, cost about 6% of that command (callgrind, 31 of 546 M instructions; node -e 0 is 503 M).
 * main.js answers the same when run directly.
 */
import fs = require('node:fs');
import packageJson = require('../../package.json');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  printVersion(`${packageJson.version}\n`);
} else {
  void import('./main.js');
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
