/**
 * The hosted TFTP server as a run resource: started once for the run on the job's `tftp.listen`
 * endpoints, told about every host that expects an upload (so an upload from a strange source can
 * be explained by name), and closed when the run ends.
 */
import { NetopsError } from '../../core/errors.js';
import { formatAddress, formatHostPort, parseAddress } from '../../net/address.js';
import type { KnownHost } from '../../tftp/diagnose.js';
import { TftpServer } from '../../tftp/server.js';
import { serverOptionsFrom, tftpSettingsSchema, type TftpSettings } from '../../tftp/settings.js';
import type { Closable, TaskContext } from '../task.js';

export interface JobTftp extends Closable {
  readonly server: TftpServer;
  readonly settings: TftpSettings;
  /** The server address a device of this family is told to upload to. */
  advertise(family: 4 | 6): string;
  /** Adds a host to those the server can name when explaining an unexpected upload. */
  know(host: KnownHost): void;
}

export function jobTftp(ctx: TaskContext): Promise<JobTftp> {
  return ctx.resource('tftp', async () => {
    // Sections arrive validated at job load; an absent one takes the schema's defaults.
    const settings = (ctx.job.settings['tftp'] as TftpSettings | undefined) ?? tftpSettingsSchema.parse({});
    const server = await TftpServer.start(serverOptionsFrom(settings));
    const known: KnownHost[] = [];
    return {
      server,
      settings,
      advertise: (family) => advertised(settings, server, family),
      know(host) {
        known.push(host);
        server.setKnownHosts(known);
      },
      close: () => server.close(),
    };
  });
}

function advertised(settings: TftpSettings, server: TftpServer, family: 4 | 6): string {
  const configured = family === 4 ? settings.advertise.ipv4 : settings.advertise.ipv6;
  if (configured) return configured;
  // Without `advertise`, a listener on one specific address of that family is unambiguous.
  const specific = new Set(
    server
      .addresses()
      .map((a) => parseAddress(a.address))
      .filter((a) => a?.family === family && !a.bytes.every((b) => b === 0))
      .map((a) => formatAddress(a!)),
  );
  if (specific.size === 1) return [...specific][0]!;
  throw new NetopsError('CONFIG_INVALID', `no IPv${family} address to give devices for TFTP uploads`, {
    hint: `Set tftp.advertise.ipv${family} in the job to this server's address as the devices reach it (the server listens on ${server
      .addresses()
      .map((a) => formatHostPort(a.address, a.port))
      .join(', ')}).`,
  });
}
