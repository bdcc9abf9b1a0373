// Per-host session time on each lab persona (src/lab/personas.js) against the default persona of the
// same platform, measured in the same run: open a CLI session (login, resync, setup commands), read
// `show running-config`, close. Median of N sessions per persona and transport, over 127.0.0.1.
// Also prints the echo wait bound each session ended with and how many echo waits went unanswered.
//   npm run bench -- personas
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLoopbackLab } from '../../dist/lab/loopback-lab.js';
import { personaOverrides, personas } from '../../dist/lab/personas.js';
import { openCliSession } from '../../dist/platforms/session.js';
import { labHost } from './lab-host.mjs';

export const about = {
  title: 'CLI session per lab persona (login, setup, show running-config, close)',
  baseline: 'the default persona of the same platform and transport, same run',
  params: [],
  defaults: { runs: 5 },
  smoke: { runs: 1 },
};

async function oneSession(lab, device, via) {
  const start = performance.now();
  const session = await openCliSession({ host: labHost(lab, device, via), secret: async (ref) => ref.value });
  try {
    const result = await session.send('show running-config');
    if (!result.text.includes(`hostname ${device.name}`))
      throw new Error(`${device.name}: incomplete output`);
    return {
      ms: performance.now() - start,
      bound: session.channel.echoBoundMs,
      echo: session.channel.echoStats,
    };
  } finally {
    await session.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run({ runs }) {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'netops-bench-'));
  process.env.NETOPS_STATE_DIR = stateDir;
  const lab = await startLoopbackLab({
    devices: personas.length,
    platforms: ['ios', 'nxos'],
    snmp: false,
    bootMs: 0,
    overrides: personaOverrides(),
  });
  const rows = [];
  try {
    for (const via of ['ssh', 'telnet']) {
      for (const [i, persona] of personas.entries()) {
        const device = lab.devices[i];
        const samples = [];
        await oneSession(lab, device, via); // warm-up, not counted
        for (let r = 0; r < runs; r++) samples.push(await oneSession(lab, device, via));
        rows.push({
          via,
          persona: persona.name,
          platform: persona.platform,
          ms: median(samples.map((s) => s.ms)),
          bound: median(samples.map((s) => s.bound)),
          unanswered: `${samples.at(-1).echo.unanswered}/${samples.at(-1).echo.waits}`,
        });
      }
    }
  } finally {
    await lab.close();
    await rm(stateDir, { recursive: true, force: true });
  }
  const baseline = (row) =>
    rows.find((r) => r.via === row.via && r.platform === row.platform && r.persona === 'default');
  return {
    rows: rows.map((row) => ({
      measure: `${row.via} ${row.platform} ${row.persona}`,
      unit: 'ms',
      netops: row.ms,
      baseline: baseline(row).ms,
      baselineName: 'default persona',
    })),
    notes: rows.map(
      (row) =>
        `${row.via} ${row.platform} ${row.persona}: echo bound ${row.bound} ms, echo waits unanswered ${row.unanswered}`,
    ),
  };
}
