/**
 * `restore`: puts a device back to the config a stored revision holds. The revision's clear text
 * comes from the restore vault (the store's own copy is masked and cannot be installed), the
 * device's running-config is fetched and the masked diff shown; with `apply` (confirmed: `--yes`)
 * the platform's startup-config workflow installs it and the running-config is checked against it.
 */
import { parseRevision } from '../store/revisions.js';
import { installParams } from './restore/install-params.js';
import { restoreParams } from './restore/params.js';
import { workflowOf } from './startup-config/host-workflow.js';
import { checkInstallServer } from './startup-config/install-server.js';
import { defineTask, lazyRun } from './task.js';

export const restore = defineTask({
  name: 'restore',
  summary: "put a device back to a stored revision's config (from the restore vault), showing the diff first",
  params: restoreParams,
  destructive: (p) => p.apply,
  // Applying installs through startup-config, whose device fetches the config from the hosted server.
  usesHostedTftp: (_host, p) => p.apply,
  check: (host, p, job) => {
    parseRevision(p.to);
    if (p.apply) checkInstallServer(host, job.settings, 'restore');
  },
  plan: (host, p) => [
    `take configs/${host.name}.cfg at ${p.to} from the store and its unsanitized copy from the restore vault`,
    `fetch the running-config and show the diff (secrets masked)`,
    ...(p.apply
      ? [
          `install it with the ${workflowOf(host).kind} startup-config workflow ${JSON.stringify(installParams(host))}`,
          'check that every line of the revision is in the running-config',
        ]
      : ['nothing is installed (apply: false)']),
  ],
  run: lazyRun(() => import('./restore/run.js')),
});
