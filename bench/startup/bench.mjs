// How long `netops --version` and `netops --help` take to start, against bare `node -e 0` in the
// same run (every cron invocation and every --plan pays this). Issue 16: both under 0.15 s.
import path from 'node:path';
import { root } from '../harness/results.mjs';
import { timeCommands } from '../harness/spawn-time.mjs';

export const about = {
  title: 'Start-up: netops --version and --help against bare node',
  baseline: '`node -e 0` (Node starting and doing nothing), measured in turns with netops',
  params: [],
  defaults: { runs: 21 },
  smoke: { runs: 1 },
};

export async function run({ runs }) {
  const netops = path.join(root, 'dist/cli/bin.cjs');
  const commands = [
    { label: 'node', argv: [process.execPath, '-e', '0'] },
    { label: 'version', argv: [process.execPath, netops, '--version'] },
    { label: 'help', argv: [process.execPath, netops, '--help'] },
  ];
  // Node parses every certificate of NODE_EXTRA_CA_CERTS before running any script (a system bundle:
  // most of node's own start-up): both again without it show what is node's and what is netops'.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS !== undefined;
  const withoutCa = (label, argv) => ({
    label,
    argv: ['/usr/bin/env', '-u', 'NODE_EXTRA_CA_CERTS', ...argv],
  });
  if (extraCa)
    commands.push(withoutCa('nodeNoCa', commands[0].argv), withoutCa('versionNoCa', commands[1].argv));
  const t = timeCommands(commands, { runs });
  const row = (measure, label) => ({
    measure,
    unit: 's',
    netops: t[label].median,
    baseline: t.node.median,
    baselineName: 'node -e 0',
    goal: { max: 0.15, text: 'under 0.15 s' },
  });
  const cpuRow = (measure, label) => ({
    measure,
    unit: 's',
    netops: t[label].cpu,
    baseline: t.node.cpu,
    baselineName: 'node -e 0',
  });
  return {
    rows: [
      row('netops --version, wall (median)', 'version'),
      row('netops --help, wall (median)', 'help'),
      ...(t.node.cpu === undefined
        ? []
        : [
            cpuRow('netops --version, CPU (median)', 'version'),
            cpuRow('netops --help, CPU (median)', 'help'),
          ]),
    ],
    notes: [
      `fastest of ${runs}: node ${t.node.min.toFixed(3)} s, --version ${t.version.min.toFixed(3)} s, --help ${t.help.min.toFixed(3)} s`,
      ...(extraCa
        ? [
            `NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): node parses it before any script runs. ` +
              `Without it (median): node -e 0 ${t.nodeNoCa.median.toFixed(3)} s, netops --version ${t.versionNoCa.median.toFixed(3)} s.`,
          ]
        : []),
      'On a loaded machine the CPU ratio is the steadier figure: wall on a quiet machine is about node -e 0 (0.10 s there) times it.',
    ],
  };
}
