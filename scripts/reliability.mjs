// The reliability suite: the faulty fleet, network faults, secrets, crashes, concurrency and bad
// input, at full size (minutes; not in CI) or CI size (the part `npm test` runs), optionally several
// times in a row beside CPU-heavy processes. A full-size run rewrites docs/reliability.md.
//   npm run reliability                     full size, once; rewrites docs/reliability.md
//   npm run reliability:loaded              CI size, 5 runs in a row beside 2 busy processes
//   node scripts/reliability.mjs [--size ci|full] [--runs N] [--load N] [--only REGEX] [--no-doc | --doc]
// --only runs the areas whose name matches (e.g. 'fleet|network|timing').
// --doc writes the page from a CI-sized run too (it says so); a full-size run writes it unless --no-doc.
// Tests scale themselves from NETOPS_RELIABILITY (test/reliability/scale.ts) and the count variables
// below, and leave figures in NETOPS_RELIABILITY_OUT. A listed file that does not exist yet is
// reported as missing, not skipped silently.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    size: { type: 'string', default: 'full' },
    runs: { type: 'string', default: '1' },
    load: { type: 'string', default: '0' },
    'no-doc': { type: 'boolean', default: false },
    doc: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const full = options.size === 'full';
const runs = Number(options.runs);
const busy = Number(options.load);

/** Each area of the suite: its test files and, at full size, the counts they read. */
const areas = [
  { area: 'Faulty fleet and secrets sweep', files: ['test/reliability/faulty-fleet.test.ts'] },
  { area: 'Network faults (TFTP, SNMP)', files: ['test/reliability/network-faults.test.ts'] },
  {
    area: 'Container lab: loss, delay, jitter and reordering in the kernel (root, podman)',
    files: ['test/reliability/container-impaired.test.ts'],
  },
  {
    area: 'Crashes (kill -9 of the runner and its process group)',
    files: ['test/store/crash*.test.ts'],
    // 20 in CI already (the minimum); the full run kills more often.
    env: { NETOPS_CRASH_KILLS: '60' },
  },
  {
    area: 'Concurrency (two folders, two jobs, a held lock)',
    files: ['test/runner/lock.test.ts', 'test/runner/store-concurrency.test.ts'],
  },
  {
    area: 'Bad input: malformed YAML and CLI',
    files: ['test/config/invalid-inputs.test.ts', 'test/config/malformed-corpus.test.ts'],
  },
  { area: 'Bad input: malformed TFTP packets', files: ['test/tftp/fuzz.test.ts'] },
  { area: 'Secrets: sanitizer corpus', files: ['test/store/secret-corpus.test.ts'] },
  // Timing-sensitive before: it failed once in a fresh-clone `npm test` (see docs/reliability.md).
  { area: 'SNMP config copy (timing)', files: ['test/lab/snmp-config-copy.test.ts'] },
];

/** A listed path, or the files a `*` in its file name matches (none: the path is reported missing). */
function matching(pattern) {
  if (!pattern.includes('*')) return existsSync(pattern) ? [pattern] : [];
  const dir = path.dirname(pattern);
  const [head, tail] = path.basename(pattern).split('*');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(head) && f.endsWith(tail))
    .map((f) => path.join(dir, f));
}

const present = areas
  .filter((a) => options.only === undefined || new RegExp(options.only, 'i').test(a.area))
  .map((a) => ({
    ...a,
    files: a.files.flatMap(matching),
    missing: a.files.filter((f) => matching(f).length === 0),
  }));
const files = present.flatMap((a) => a.files);
const env = {
  ...process.env,
  ...(full ? Object.assign({ NETOPS_RELIABILITY: 'full' }, ...areas.map((a) => a.env ?? {})) : {}),
};

/** CPU-heavy neighbours: node busy loops, ended by PID. */
function startLoad(n) {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

function vitest(out, json) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        ...files,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${json}`,
      ],
      { env: { ...env, NETOPS_RELIABILITY_OUT: out }, stdio: 'inherit' },
    );
    child.on('close', (code) => resolve(code));
  });
}

const results = [];
for (let run = 1; run <= runs; run++) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'netops-reliability-'));
  const json = path.join(out, 'vitest.json');
  const load = startLoad(busy);
  const started = Date.now();
  let code;
  try {
    code = await vitest(out, json);
  } finally {
    for (const child of load) child.kill('SIGKILL');
  }
  const report = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : { testResults: [] };
  const figures = Object.fromEntries(
    readdirSync(out)
      .filter((f) => f.endsWith('.json') && f !== 'vitest.json')
      .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(out, f), 'utf8'))]),
  );
  results.push({ run, code, seconds: (Date.now() - started) / 1000, report, figures });
  console.log(
    `reliability run ${run}/${runs} (${full ? 'full' : 'CI'} size, ${busy} busy processes): exit ${code}`,
  );
  rmSync(out, { recursive: true, force: true });
}

const passedRuns = results.filter((r) => r.code === 0).length;
console.log(`${passedRuns} of ${runs} runs passed`);
for (const a of present) for (const f of a.missing) console.log(`missing: ${f} (${a.area})`);
if ((full || options.doc) && !options['no-doc'])
  writeFileSync('docs/reliability.md', renderDoc(results.at(-1)));
process.exit(passedRuns === runs ? 0 : 1);

function renderDoc(result) {
  const byFile = new Map(result.report.testResults.map((t) => [path.relative(process.cwd(), t.name), t]));
  const rows = present.map((a) => {
    const tests = a.files.flatMap((f) => byFile.get(f)?.assertionResults ?? []);
    const passed = tests.filter((t) => t.status === 'passed').length;
    const failed = tests.filter((t) => t.status === 'failed').length;
    const files = [...a.files.map((f) => `\`${f}\``), ...a.missing.map((f) => `\`${f}\` (missing)`)].join(
      ', ',
    );
    return `| ${a.area} | ${files} | ${passed} | ${failed} |`;
  });
  const fleet = result.figures['faulty-fleet'];
  const secrets = result.figures['secrets-fleet'];
  const net = result.figures['network-faults'];
  const lines = [
    '# Reliability',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`node scripts/reliability.mjs --size ${full ? 'full' : 'ci'}\` (${full ? 'full size' : 'CI size'}) on ${os.cpus().length} cores,`,
    `Node ${process.version}; the run exited ${result.code} after ${result.seconds.toFixed(0)} s. This page is written by that`,
    'command: run it again to refresh the figures. `npm test` runs the same tests CI-sized (seconds),',
    'and `npm run reliability:loaded` runs the CI-sized suite five times in a row beside two busy processes.',
    '',
    '| area | tests | passed | failed |',
    '|---|---|---|---|',
    ...rows,
    '',
    ...failures(result.report),
  ];
  if (fleet) {
    lines.push(
      '## Faulty fleet',
      '',
      `${fleet.devices} loopback-lab devices (IOS and NX-OS), ${fleet.faulty} of them faulty, one nightly backup job: ${fleet.backedUp}`,
      `backed up, ${fleet.failed} failed. The run took ${fleet.runSeconds.toFixed(1)} s against a bound of ${fleet.boundSeconds} s`,
      `(waves of hosts x the job's ${fleet.stepLimitSeconds} s step limit, asserted with 25 % for timer lateness); the slowest`,
      `step took ${fleet.slowestStepSeconds.toFixed(1)} s (a hung device, cut at the limit), the slowest backup ${fleet.slowestBackedUpSeconds.toFixed(1)} s.`,
      '',
      '| fault | via: expected outcome |',
      '|---|---|',
      ...fleet.outcomes.map(([fault, variants]) => `| ${fault} | ${variants.join('; ')} |`),
      '',
    );
  }
  if (secrets) {
    lines.push(
      '## Secrets',
      '',
      `${secrets.secrets} secret values (lab passwords, enable secrets, communities, the SMTP password, every`,
      'secret planted in the generated configs) searched for in stdout, stderr, run records, stored configs and',
      `their git history, the state folder, the notification mail, the plan and the error messages: ${secrets.hits} hits.`,
      '',
    );
  }
  if (net) {
    lines.push(
      '## Network faults',
      '',
      `Seeded proxy: ${Math.round(net.faults.drop * 100)} % lost, ${Math.round(net.faults.duplicate * 100)} % duplicated, ${Math.round(net.faults.delay * 100)} % held back 2-6 ms (reordered).`,
      `${net.transfers} transfers and SNMP requests: ${net.identical} byte-identical, ${net.failed} failed with a reason, none different.`,
      '',
      ...net.failures.map((f) => `- ${f.transfer}: ${f.result}`),
      '',
      ...(net.failures.length === 0
        ? []
        : [
            'The last block of each size is 2 (713 B), 5 (2,061 B) and 40 (20,013 B): a failure there is the last',
            'ACK of an upload to tftpd-hpa lost. The file arrived whole, but tftpd-hpa does not answer resends of',
            'the last block, so the sender cannot know (RFC 1350 leaves the final ACK unacknowledged).',
            '',
          ]),
    );
  }
  lines.push(...timingNotes());
  return `${lines.join('\n')}\n`;
}

/** The failed tests, each with the first line of its message: what this run found broken. */
function failures(report) {
  const failed = report.testResults.flatMap((file) =>
    file.assertionResults.filter((t) => t.status === 'failed'),
  );
  if (failed.length === 0) return [];
  return [
    '## Failed in this run',
    '',
    ...failed.map(
      (t) =>
        `- ${t.fullName}: ${String(t.failureMessages?.[0] ?? '')
          .split('\n')[0]
          .slice(0, 400)}`,
    ),
    '',
  ];
}

/** What was found hunting timing dependences; kept with the figures so the page stays whole. */
function timingNotes() {
  return [
    '## Timing dependences found and removed (2026-11-29)',
    '',
    '- `uploads running-config to an IPv4 server set with ccCopyServerAddressType/Rev1 in one createAndGo',
    '  PDU` (test/lab/snmp-config-copy.test.ts) failed in a fresh-clone `npm test` and passed alone. The test',
    "  device's TFTP client resent its WRQ after 250 ms; tftpd-hpa forks a child per WRQ, and the child of a",
    '  late duplicate opens the file with O_TRUNC after the first child wrote it: an empty upload. Reproduced',
    '  by sending a WRQ again after a completed transfer (the file became empty). The device now waits 10 s',
    '  before resending to a server that answers; only the silent server keeps short time-outs.',
    '- Replies that must come were read with 50-500 ms windows (test/tftp: protocol, fuzz, client-abort): on a',
    "  loaded machine the timer phase can run before the reply's poll phase. They now wait up to 5 s for the",
    '  first packet and read the rest of a burst after it; short windows remain only for asserting silence.',
    '- Fixed sleeps replaced by events: a lab reload waits for `booted` (backup-failures), the Ctrl-C test',
    "  interrupts once h0's connection is closed instead of 100 ms after it opened (cli/run), the accept-queue",
    '  filler waits for its first connect instead of 200 ms, a given-up transfer is awaited by its log event.',
    '- Process start-ups polled with 2-5 s bounds (netns devices, seed, lifecycle; tftp serve) now wait up',
    '  to 60 s (`test/helpers/wait-for.ts`); the refused-meanwhile expectation waits 3 s instead of 300 ms.',
    '- The faulty fleet in CI backs up 10 hosts at once under a 40 s step limit: with 50 at once beside two',
    '  busy processes, healthy backups of the 60-device lab took longer than a 20 s limit. A hung login ends',
    "  at the session's own 30 s wait for the first prompt (PROMPT_TIMEOUT): a step limit of exactly 30 s raced it.",
    '',
    'Five CI-sized runs in a row (faulty fleet, network faults, SNMP config copy) beside two node busy loops',
    'on the shared 2-core machine, 2026-11-29 (`node scripts/reliability.mjs --size ci --runs 5 --load 2',
    '--only "fleet|network|timing"`): 5 of 5 passed, 43-54 s each, with the final limits; an earlier series',
    'with a 30 s step limit, while seven other builds shared the machine (load average 15-22), 5 of 5, 61-90 s.',
    '',
  ];
}
