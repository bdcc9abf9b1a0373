#!/usr/bin/env node
/**
 * The `netops` command as installed (package.json bin); everything is main.js, imported, except
 * `netops --version` alone (what wrappers and monitoring call most), answered here. This file is
 * CommonJS so that answer needs no ES module at all: Node's ES module loader, started for an ES
 * entry, cost about 6% of that command (callgrind, 31 of 546 M instructions; node -e 0 is 503 M).
 * main.js answers the same when run directly.
 */
import packageJson = require('../../package.json');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${packageJson.version}\n`);
} else {
  void import('./main.js');
}
