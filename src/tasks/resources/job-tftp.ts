/**
 * The hosted TFTP server as a run resource: started once for the run on the job's `tftp.listen`
 * endpoints, told about every host that expects an upload (so an upload from a strange source can
 * be explained by name), and closed when the run ends.
 */
import { NetopsError } from '../../core/errors.js';
import { addressFamily, formatAddress, formatHostPort, parseAddress } from '../../net/address.js';
import type { KnownHost } from '../../tftp/diagnose.js';
import type { TftpServer } from '../../tftp/server.js';
import { serverOptionsFrom, tftpSettingsSchema, type TftpSettings } from '../../tftp/settings.js';
import type { Host } from '../../config/model.js';
import type { Closable, JobSettings, TaskContext } from '../task.js';

export interface JobTftp extends Closable {
  readonly server: TftpServer;
  readonly settings: TftpSettings;
  /** The server address a device of this family is told to upload to. */
  advertise(family: 4 | 6): string;
  /** Adds a host to those the server can name when explaining an unexpected upload. */
  know(host: KnownHost): void;
}

/** The run resource's key of the hosted TFTP server. */
export const TFTP_RESOURCE = 'tftp';

export function jobTftp(ctx: TaskContext): Promise<JobTftp> {
  return ctx.resource(TFTP_RESOURCE, async () => {
    // Sections arrive validated at job load; an absent one takes the schema's defaults.
    const settings = (ctx.job.settings['tftp'] as TftpSettings | undefined) ?? tftpSettingsSchema.parse({});
    // Loaded when a run first needs the server: a plan only reads the settings.
    const { TftpServer } = await import('../../tftp/server.js');
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

/**
 * The server address a device of `family` is told: `tftp.advertise.ipvN`, else the one specific
 * address of that family the server listens on (a wildcard listener names none); undefined if neither.
 */
export function advertisedAddress(
  settings: TftpSettings,
  listening: readonly { readonly address: string }[],
  family: 4 | 6,
): string | undefined {
  const configured = family === 4 ? settings.advertise.ipv4 : settings.advertise.ipv6;
  if (configured) return configured;
  const specific = new Set(
    listening
      .map((a) => parseAddress(a.address))
      .filter((a) => a?.family === family && !a.bytes.every((b) => b === 0))
      .map((a) => formatAddress(a!)),
  );
  return specific.size === 1 ? [...specific][0] : undefined;
}

/**
 * The server address the host would be told, per family it may be reached over (one for an address
 * or a forced family, IPv4 then IPv6 for a name): the run's own choice, from the job's `tftp`
 * settings (an absent section: its defaults); undefined where the run would stop for want of one.
 */
export function advertisedFor(
  host: Host,
  settings: JobSettings,
): Array<{ family: 4 | 6; address: string | undefined }> {
  const tftp =
    (settings['tftp'] as TftpSettings | undefined) ?? (defaultSettings ??= tftpSettingsSchema.parse({}));
  const literal = addressFamily(host.address);
  const families: Array<4 | 6> = literal ? [literal] : host.family ? [host.family] : [4, 6];
  // The same for every host of a job: worked out once per settings and family (a plan asks per host).
  let known = advertisedBySettings.get(tftp);
  if (!known) advertisedBySettings.set(tftp, (known = {}));
  return families.map((family) => ({
    family,
    address: family in known ? known[family] : (known[family] = advertisedAddress(tftp, tftp.listen, family)),
  }));
}

/** The settings of a job without a `tftp` section. */
let defaultSettings: TftpSettings | undefined;
const advertisedBySettings = new WeakMap<TftpSettings, { [F in 4 | 6]?: string | undefined }>();

/** What a plan shows as the server the host will be told: `<set tftp.advertise.ipvN>` where there is none. */
export function plannedServers(host: Host, settings: JobSettings): Array<{ family: 4 | 6; server: string }> {
  return advertisedFor(host, settings).map(({ family, address }) => ({
    family,
    server: address ?? `<set tftp.advertise.ipv${family}>`,
  }));
}

function advertised(settings: TftpSettings, server: TftpServer, family: 4 | 6): string {
  const address = advertisedAddress(settings, server.addresses(), family);
  if (address) return address;
  throw new NetopsError('CONFIG_INVALID', `no IPv${family} address to give devices for TFTP uploads`, {
    hint: `Set tftp.advertise.ipv${family} in the job to this server's address as the devices reach it (the server listens on ${server
      .addresses()
      .map((a) => formatHostPort(a.address, a.port))
      .join(', ')}).`,
  });
}
