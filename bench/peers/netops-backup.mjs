// netops' side of a peer comparison: `netops run` of a `show` backup of the lab's IPv4 hosts, as a
// child process, with its wall time, CPU (its own and its git children's) and peak RSS.
import path from 'node:path';
import { labEnvironment } from '../../dist/lab/lab-inventory.js';
import { writeBackupJob } from '../harness/lab-inventory.mjs';
import { root } from '../harness/results.mjs';
import { timedProcess } from '../harness/timed-process.mjs';

/** Backs up every IPv4 lab host with netops at `parallel`; `dir` is an empty folder for the job. */
export async function netopsBackup(lab, { dir, parallel }) {
  writeBackupJob(dir, lab, { parallel });
  const run = await timedProcess(
    process.execPath,
    // As installed (package.json bin): the bundle, its code cache made by this first run.
    [path.join(root, 'dist/cli/bin.cjs'), 'run', 'job.yaml', '--json'],
    {
      cwd: dir,
      env: {
        ...labEnvironment(lab),
        NETOPS_STATE_DIR: path.join(dir, 'state'),
        XDG_CACHE_HOME: path.join(dir, 'cache'),
      },
    },
  );
  const { summary } = JSON.parse(run.stdout);
  return {
    ...run,
    saved: summary.changed + summary.ok,
    note: `netops: exit ${run.code}, ${summary.changed} changed, ${summary.ok} unchanged, ${summary.failed} failed`,
  };
}
