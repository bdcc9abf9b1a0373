/**
 * `tftp-snmp`: CISCO-CONFIG-COPY-MIB. One SET creates a ccCopyTable row (running-config to a
 * network file on our TFTP server); the device uploads; ccCopyState is polled; the row is destroyed.
 */
import { plannedUrls, uploadWhile, type BackupMethod } from './method.js';

export const tftpSnmp: BackupMethod = {
  name: 'tftp-snmp',
  uploads: true,
  unavailable: (host, platform) => {
    if (!host.snmp) return 'the host has no snmp settings';
    return platform.snmpConfigCopy ? undefined : `platform ${platform.name} has no CISCO-CONFIG-COPY-MIB`;
  },
  describe: (filename, servers) =>
    `SNMP SET ccCopyTable row: runningConfig -> networkFile ${plannedUrls(servers, filename)}; poll ccCopyState`,
  async fetch(ctx, upload) {
    // net-snmp loads with the first SNMP backup, not with the task list (`--plan`).
    const [{ copyConfig }, { openSnmpSession }] = await Promise.all([
      import('../../snmp/config-copy.js'),
      import('../../snmp/session.js'),
    ]);
    const session = await openSnmpSession(ctx.host, { secret: ctx.secret, signal: ctx.signal, write: true });
    try {
      const plan = await upload();
      // The device reaches our server over the family we reach it with.
      const server = plan.tftp.advertise(session.target.address.includes(':') ? 6 : 4);
      return await uploadWhile(ctx, plan, async (signal) => {
        await copyConfig(
          session,
          { source: 'runningConfig', dest: 'networkFile', server, fileName: plan.filename },
          { signal, timeoutMs: plan.timeoutMs },
        );
      });
    } finally {
      session.close();
    }
  },
};
