// How long `netops --version` and `netops --help` take to start, against bare `node -e 0` in the
// same run (every cron invocation and every --plan pays this). Issue 16: both under 0.15 s.
import path from 'node:path';
import { root } from '../harness/results.mjs';
import { timeCommands, withAndWithoutExtraCa } from '../harness/spawn-time.mjs';

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
  const ca = withAndWithoutExtraCa(commands);
  const { extraCa, judged, judgedAs, nodeBeside } = ca;
  const t = timeCommands(ca.commands, { runs });
  const row = (measure, label, goal) => ({
    measure,
    unit: 's',
    netops: t[label].median,
    baseline: t[nodeBeside(label)].median,
    baselineName: 'node -e 0',
    ...(goal ? { goal: { max: 0.15, text: 'under 0.15 s' } } : {}),
  });
  const cpuRow = (measure, label) => ({
    measure,
    unit: 's',
    netops: t[label].cpu,
    baseline: t[nodeBeside(label)].cpu,
    baselineName: 'node -e 0',
  });
  return {
    rows: [
      row(`netops --version, wall (median)${judgedAs}`, judged('version'), true),
      row(`netops --help, wall (median)${judgedAs}`, judged('help'), true),
      ...(extraCa
        ? [
            row("netops --version, wall (median), with this machine's NODE_EXTRA_CA_CERTS", 'version', false),
            row("netops --help, wall (median), with this machine's NODE_EXTRA_CA_CERTS", 'help', false),
          ]
        : []),
      ...(t.node.cpu === undefined
        ? []
        : [
            cpuRow(`netops --version, CPU (median)${judgedAs}`, judged('version')),
            cpuRow(`netops --help, CPU (median)${judgedAs}`, judged('help')),
          ]),
    ],
    notes: [
      `fastest of ${runs}: node ${t.node.min.toFixed(3)} s, --version ${t.version.min.toFixed(3)} s, --help ${t.help.min.toFixed(3)} s`,
      ...(extraCa
        ? [
            `${ca.note}; fastest of ${runs} without it: node ${t.nodeNoCa.min.toFixed(3)} s, --version ${t.versionNoCa.min.toFixed(3)} s, --help ${t.helpNoCa.min.toFixed(3)} s.`,
          ]
        : []),
      'On a loaded machine the CPU ratio is the steadier figure: wall on a quiet machine is about node -e 0 (0.10 s there) times it.',
    ],
  };
}
