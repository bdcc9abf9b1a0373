/** A standalone TftpServer on 127.0.0.1 and ::1 (ephemeral ports) over a temporary root, with its log kept. */
import { TftpServer, type TftpServerOptions } from '../../src/tftp/server.js';
import type { TftpLogEvent } from '../../src/tftp/log.js';
import { removeDir, tempDir, type Loopback } from './peers.js';

export interface ServerFixture {
  readonly server: TftpServer;
  readonly root: string;
  readonly events: TftpLogEvent[];
  port(address: Loopback): number;
  stop(): Promise<void>;
}

export async function startServer(extra: Partial<TftpServerOptions> = {}): Promise<ServerFixture> {
  const root = await tempDir();
  const events: TftpLogEvent[] = [];
  const server = await TftpServer.start({
    listen: [
      { address: '127.0.0.1', port: 0 },
      { address: '::1', port: 0 },
    ],
    root,
    log: (event) => events.push(event),
    ...extra,
  });
  return {
    server,
    root,
    events,
    port: (address) => server.addresses().find((a) => a.address === address)?.port ?? 0,
    stop: async () => {
      await server.close();
      await removeDir(root);
    },
  };
}
