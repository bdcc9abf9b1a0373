/**
 * A device console through a terminal server: reverse Telnet to the server's port for the device's
 * line (e.g. 2000 + line on a Cisco access server). The line attaches silently to whatever state the
 * last user left, so it is woken with a CR. The TCP session belongs to the terminal server, not the
 * device, so it stays up while the device reloads; the channel sees the boot on it.
 */
import type { ConsoleLine } from '../config/model.js';
import { openTelnet } from './telnet.js';
import type { Transport } from './transport.js';

export interface ConsoleTransportOptions {
  readonly line: ConsoleLine;
  /** Inventory host name of the device on the line, for errors. */
  readonly host?: string | undefined;
  readonly family?: 4 | 6 | undefined;
  /** @default 10000 */
  readonly connectTimeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export async function openConsole(options: ConsoleTransportOptions): Promise<Transport> {
  const transport = await openTelnet(
    {
      target: {
        address: options.line.host,
        port: options.line.port,
        family: options.family,
        host: options.host,
      },
      connectTimeoutMs: options.connectTimeoutMs,
      signal: options.signal,
    },
    'console',
  );
  transport.write('\r');
  return transport;
}
