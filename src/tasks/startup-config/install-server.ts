/**
 * A startup-config install (the `startup-config` task, and a `restore` that installs) serves the
 * config from netops' own TFTP server, and the device is told that server's address (tftp.advertise,
 * or the one specific address it listens on). A job with no such address, the common case being no
 * `tftp:` section at all (the default listens on `[::]:69`, which names no address), can never
 * install: it is refused with the job's checks, before anything is contacted, instead of once the
 * workflow has begun.
 */
import type { Host } from '../../config/model.js';
import { NetopsError } from '../../core/errors.js';
import { advertisedFor } from '../resources/job-tftp.js';
import type { JobSettings } from '../task.js';

/** Refuses a host none of whose address families has a server address to be told; `task` names the step. */
export function checkInstallServer(
  host: Host,
  settings: JobSettings,
  task: 'restore' | 'startup-config',
): void {
  const advertised = advertisedFor(host, settings);
  // A name may be reached over either family: one usable family is enough to try.
  if (advertised.some((a) => a.address !== undefined)) return;
  const families = advertised.map((a) => `IPv${a.family}`).join(' or ');
  const section = settings['tftp'] !== undefined;
  const example = advertised.map((a) => `advertise.ipv${a.family}`).join(' or ');
  throw new NetopsError(
    'CONFIG_INVALID',
    `${host.name}: ${task} installs the config from netops' TFTP server, but the job gives no ${families} address to tell ${host.name} to fetch it from (${section ? 'its `tftp:` section neither advertises one nor listens on one specific address' : 'it has no `tftp:` section, and the default listens on [::]:69'})`,
    {
      hint: section
        ? `Set tftp.${example} to this machine's address as ${host.name} reaches it (docs/tftp.md), then run again.`
        : `Add a \`tftp:\` section with this machine's address as ${host.name} reaches it, e.g. \`tftp: { listen: ['[::]:69'], advertise: { ${advertised.map((a) => (a.family === 4 ? 'ipv4: 192.0.2.10' : "ipv6: '2001:db8::10'")).join(', ')} } }\` (docs/tftp.md), then run again.`,
      host: host.name,
      // Where the job file is shown: the `tftp:` section, or the step (or section) that asked for the install.
      details: { jobPath: ['tftp'] },
    },
  );
}
