/**
 * Backup over the device's CLI: `tftp-cli` has the device upload its running-config to our TFTP
 * server (`copy running-config tftp://SERVER/FILE`, NX-OS with `vrf management`); `show` reads
 * `show running-config` from the session itself, for devices that cannot reach the server.
 */
import { NetopsError } from '../../core/errors.js';
import { withCliSession } from '../cli-session.js';
import { tftpUrl, type PlatformSpec } from '../../platforms/spec.js';
import { noCliLogin, plannedUrls, uploadWhile, type BackupMethod, type PlannedServer } from './method.js';

export const tftpCli: BackupMethod = {
  name: 'tftp-cli',
  uploads: true,
  unavailable: (host, platform) =>
    platform.copyToTftp ? noCliLogin(host) : `platform ${platform.name} cannot copy its config to TFTP`,
  describe: (filename, servers, platform) => `CLI: ${plannedCopy(platform, filename, servers)}`,
  fetch: (ctx, upload) =>
    withCliSession(ctx, {}, async (session) => {
      const copy = session.platform.copyToTftp;
      if (!copy) {
        throw new NetopsError(
          'COMMAND_REJECTED',
          `platform ${session.platform.name} cannot copy its config to TFTP`,
          {
            hint: 'Use the `show` method for this host (data.backupMethods: [show]).',
            host: ctx.host.name,
          },
        );
      }
      const plan = await upload();
      // The device is told the server address of the family we reached it over.
      const server = plan.tftp.advertise(session.channel.transport.peer.startsWith('[') ? 6 : 4);
      // The dialog's output is evidence: IOS says `N bytes copied`, NX-OS shows the KB it sent. Raw,
      // because NX-OS redraws its progress line with CR and the cleaned text keeps only a mix.
      return uploadWhile(ctx, plan, async (signal) => {
        const result = await session.dialog(copy({ server, file: plan.filename }), {
          signal,
          timeoutMs: plan.timeoutMs,
        });
        return result.raw;
      });
    }),
};

/**
 * The platform's own copy command with the URL the device would be told per family in place of its
 * URL (`copy running-config tftp://A/F vrf management`).
 */
function plannedCopy(platform: PlatformSpec, file: string, servers: readonly PlannedServer[]): string {
  // The platform's dialog (regexes and all) is built once per platform, not once per host planned.
  let command = plannedCommands.get(platform);
  if (command === undefined)
    plannedCommands.set(platform, (command = platform.copyToTftp?.(marker).command ?? ''));
  return command.replace(tftpUrl(marker), plannedUrls(servers, file)).replaceAll(marker.file, file);
}

const marker = { server: 'netops-planned-server', file: 'netops-planned-file' };
const plannedCommands = new WeakMap<PlatformSpec, string>();

export const showRunning: BackupMethod = {
  name: 'show',
  uploads: false,
  unavailable: (host) => noCliLogin(host),
  describe: (_filename, _servers, platform) => `CLI: ${platform.runningConfig}`,
  fetch: (ctx) =>
    withCliSession(ctx, {}, async (session) => {
      const result = await session.send(session.platform.runningConfig, { signal: ctx.signal });
      return { text: result.text, evidence: {} };
    }),
};
