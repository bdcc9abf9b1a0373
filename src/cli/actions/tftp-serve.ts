/**
 * What `netops tftp serve` does: a classic standalone TFTP server for engineers who just need one, with the
 * hosted server's safety: no overwrite unless asked, traversal and absolute paths refused, uploads
 * written atomically, one log line per transfer event (and JSON lines with --json-log).
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { NetopsError } from '../../core/errors.js';
import { parseCidr } from '../../net/cidr.js';
import { parseEndpoint } from '../../net/endpoint.js';
import { formatLogLine, type TftpLogEvent } from '../../tftp/log.js';
import { TftpServer } from '../../tftp/server.js';
import { DEFAULT_TFTP_PORT } from '../../tftp/settings.js';

export interface TftpServeFlags {
  root: string;
  listen?: string[];
  allow?: string[];
  overwrite?: boolean;
  maxFileBytes?: number;
  maxTransfers?: number;
  jsonLog?: string;
}

export async function serveTftp(flags: TftpServeFlags): Promise<void> {
  const root = await stat(flags.root).catch(() => undefined);
  if (!root?.isDirectory()) {
    throw new NetopsError('CONFIG_INVALID', `--root ${flags.root} is not a folder`, {
      hint: 'Create the folder first, or point --root at the one to serve.',
    });
  }
  const listen = (flags.listen ?? ['[::]']).map((text) => parseEndpoint(text, DEFAULT_TFTP_PORT));
  flags.allow?.forEach(parseCidr); // reports a bad prefix before anything listens
  const json = flags.jsonLog ? createWriteStream(flags.jsonLog, { flags: 'a' }) : undefined;
  const log = (event: TftpLogEvent) => {
    process.stdout.write(`${event.time}  ${formatLogLine(event)}\n`);
    json?.write(`${JSON.stringify(event)}\n`);
  };
  const server = await TftpServer.start({
    listen,
    root: flags.root,
    log,
    ...(flags.allow ? { allow: flags.allow } : {}),
    ...(flags.overwrite ? { overwrite: true } : {}),
    ...(flags.maxFileBytes ? { maxFileBytes: flags.maxFileBytes } : {}),
    ...(flags.maxTransfers ? { maxTransfers: flags.maxTransfers } : {}),
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // Transfers under way are told (ERROR 0) and end; nothing half-written stays behind.
  await server.close();
  await new Promise<void>((resolve) => (json ? json.end(resolve) : resolve()));
}
