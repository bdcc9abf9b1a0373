// One peer comparison: the same loopback lab (IOS devices, configBytes-sized configs, every device
// output delayed latencyMs), the same IPv4 hosts and parallelism, backed up by netops (`show` method,
// `netops run` as a child) and then by the peer; wall and CPU of each, and how many configs each
// saved complete (the device's hostname line in it, `end` last), so a fast failure counts as none.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLoopbackLab } from '../../dist/lab/loopback-lab.js';
import { ownCpuSeconds } from '../harness/child-cpu.mjs';
import { netopsBackup } from './netops-backup.mjs';

/** How many of the lab's devices have a complete config at `fileOf(device)`. */
export function completeConfigs(lab, fileOf) {
  return lab.devices.filter((device) => {
    const file = fileOf(device);
    if (!existsSync(file)) return false;
    const text = readFileSync(file, 'utf8').replace(/\r/g, '');
    return text.includes(`\nhostname ${device.name}\n`) && /\nend\s*$/.test(text);
  }).length;
}

/** Runs `side` and adds the CPU this process (the lab's devices) spent meanwhile. */
async function withLabCpu(side) {
  const before = ownCpuSeconds();
  const result = await side();
  return { ...result, labCpu: ownCpuSeconds() - before };
}

/**
 * A bench module (`about`, `run`) comparing netops with `peer`: `available()` says whether it is
 * installed, `install` how to get it, `backup(lab, { dir, parallel })` runs it and returns
 * { wall, cpu, saved, note }; netops should be at least `fasterBy` times faster.
 */
export function peerBench({ peer, title, install, available, backup, fasterBy }) {
  const about = {
    title,
    baseline: `${peer} backing up the same lab, hosts, parallelism and latency in the same run`,
    params: ['devices', 'parallel', 'latencyMs', 'configBytes'],
    defaults: { devices: 100, parallel: 20, latencyMs: 20, configBytes: 50_000 },
    smoke: { devices: 3, parallel: 2, latencyMs: 5, configBytes: 5_000 },
  };

  async function run({ devices, parallel, latencyMs, configBytes }) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `netops-bench-${peer.toLowerCase()}-`));
    const lab = await startLoopbackLab({
      devices,
      platforms: ['ios'],
      configBytes,
      snmp: false,
      faults: { latencyMs },
    });
    try {
      mkdirSync(path.join(dir, 'netops'));
      const ours = await withLabCpu(() => netopsBackup(lab, { dir: path.join(dir, 'netops'), parallel }));
      const installed = available();
      let theirs;
      if (installed) {
        mkdirSync(path.join(dir, 'peer'));
        theirs = await withLabCpu(() => backup(lab, { dir: path.join(dir, 'peer'), parallel }));
      }
      return {
        rows: rows(ours, theirs, { devices, parallel }),
        notes: notes({ ...ours, devices }, theirs, installed),
      };
    } finally {
      await lab.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  function rows(ours, theirs, { devices, parallel }) {
    const beside = (figure) => (theirs ? { baseline: figure(theirs), baselineName: peer } : {});
    // A peer that did not save every config did not do the same work: its time is shown, not judged.
    const comparable = theirs === undefined || theirs.saved === devices;
    const goal = {
      ratioMax: 1 / fasterBy,
      text: `at least ${fasterBy}x faster (ratio <= ${(1 / fasterBy).toFixed(2)})`,
    };
    return [
      {
        measure: `wall, ${devices} devices, parallelism ${parallel}`,
        unit: 's',
        netops: ours.wall,
        ...beside((t) => t.wall),
        ...(comparable ? { goal } : {}),
      },
      { measure: 'CPU, whole process tree', unit: 's', netops: ours.cpu, ...beside((t) => t.cpu) },
      { measure: 'configs saved complete', unit: '', netops: ours.saved, ...beside((t) => t.saved) },
      // The simulated devices run in this process: when their CPU nears the wall time, they bound both.
      {
        measure: "lab's CPU (simulated devices)",
        unit: 's',
        netops: ours.labCpu,
        ...beside((t) => t.labCpu),
      },
      { measure: 'peak RSS (netops process)', unit: 'MiB', netops: ours.peakMiB },
    ];
  }

  function notes(ours, theirs, installed) {
    if (!installed) return [ours.note, `${peer} is not installed: ${install}; its figures are left out`];
    const judged =
      theirs.saved === ours.devices
        ? []
        : [
            `${peer} saved ${theirs.saved} complete configs of ${ours.devices}: its wall time is shown, not judged against the goal`,
          ];
    return [ours.note, theirs.note, `${peer}: ${theirs.how}`, ...judged];
  }

  return { about, run };
}
