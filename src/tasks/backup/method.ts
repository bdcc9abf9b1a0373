/** How a backup method is shaped: it fetches the running-config text of one host, or throws why not. */
import type { SizeEvidence } from '../../store/completeness.js';
import type { TaskContext } from '../task.js';
import type { JobTftp } from '../resources/job-tftp.js';
import { gaveUpError, isGaveUp } from './device-gave-up.js';
import { tftpUrl, type PlatformSpec } from '../../platforms/spec.js';
import type { Host } from '../../config/model.js';

export interface PlannedServer {
  readonly family: 4 | 6;
  readonly server: string;
}

/** `tftp://SERVER/FILE` as the device would be told, one per family the host may be reached over. */
export function plannedUrls(servers: readonly PlannedServer[], file: string): string {
  if (servers.length === 1) return tftpUrl({ server: servers[0]!.server, file });
  return servers.map((s) => `${tftpUrl({ server: s.server, file })} (over IPv${s.family})`).join(' or ');
}

export interface UploadPlan {
  readonly tftp: JobTftp;
  /** The file name the device is told to upload (unique per run and host). */
  readonly filename: string;
  /** The addresses the upload may come from. */
  readonly sources: readonly string[];
  readonly timeoutMs: number;
}

/** The config text, and what the device said about its size on the way (for the completeness check). */
export interface Fetched {
  readonly text: string;
  readonly evidence: SizeEvidence;
}

export interface BackupMethod {
  readonly name: string;
  /** The device uploads the config to the run's hosted TFTP server. */
  readonly uploads: boolean;
  /** Why the method cannot apply to this host, read from its settings and its platform's capabilities. */
  unavailable(host: Host, platform: PlatformSpec): string | undefined;
  /** What `--plan` prints for this method, given the servers the host would be told (per family). */
  describe(filename: string, servers: readonly PlannedServer[], platform: PlatformSpec): string;
  fetch(ctx: TaskContext, upload: () => Promise<UploadPlan>): Promise<Fetched>;
}

/** CLI methods log in with the host's credentials; over Telnet a device may ask for none. */
export function noCliLogin(host: Host): string | undefined {
  return !host.credentials && host.transport === 'ssh' ? 'the host has no credentials' : undefined;
}

/**
 * Waits for the device's upload while `trigger` makes the device send it. When both fail, the
 * server's error wins if it saw the upload (refused from a wrong source, broken mid-way): it names
 * the cause. If nothing arrived, the device's own reason (ccCopyFailCause) does; a CLI copy the
 * device gave up on (`%Error opening ... (Timed out)`) is told with what the server saw meanwhile.
 */
export async function uploadWhile(
  ctx: TaskContext,
  plan: UploadPlan,
  trigger: (signal: AbortSignal) => Promise<unknown>,
): Promise<Fetched> {
  const waiting = new AbortController();
  let tsize: number | undefined;
  const onAbort = () => waiting.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const upload = plan.tftp.server.expectUpload({
    filename: plan.filename,
    from: plan.sources,
    timeoutMs: plan.timeoutMs,
    host: ctx.host.name,
    signal: waiting.signal,
    onAnnouncedSize: (bytes) => (tsize = bytes),
  });
  try {
    const triggered = trigger(ctx.signal).catch((error: unknown) => {
      waiting.abort();
      throw error;
    });
    const [sent, received] = await Promise.allSettled([triggered, upload]);
    if (received.status === 'fulfilled') {
      const dialog = sent.status === 'fulfilled' ? sent.value : undefined;
      return {
        text: received.value.toString('utf8'),
        evidence: {
          uploadedFile: true,
          ...(typeof dialog === 'string' ? { dialog } : {}),
          ...(tsize === undefined ? {} : { tsize }),
        },
      };
    }
    const sawUpload = ['TFTP_UNEXPECTED_SOURCE', 'TFTP_TRANSFER_FAILED'].includes(
      (received.reason as { code?: string }).code ?? '',
    );
    if (sent.status === 'rejected' && isGaveUp(sent.reason, received.reason) && !ctx.signal.aborted) {
      throw gaveUpError({
        host: ctx.host.name,
        filename: plan.filename,
        sources: plan.sources,
        deviceError: sent.reason,
        waitError: received.reason,
        serverPorts: [...new Set(plan.tftp.server.addresses().map((a) => a.port))],
      });
    }
    throw sent.status === 'rejected' && !sawUpload ? sent.reason : received.reason;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
