/**
 * The device gave up on its upload (`%Error opening tftp://... (Timed out)`) and nothing the server
 * accepted arrived: report what is known instead of a refused command. What the device said, that
 * no upload came from the host's addresses, and which sources the server refused meanwhile; the
 * hint follows the evidence (a refused source's diagnosis first, then the IPv6 source-interface
 * quirk of the seed, device-reference.md §2.4, where the server is IPv6).
 */
import { NetopsError } from '../../core/errors.js';

interface RefusedSource {
  readonly source: string;
  readonly summary: string;
  readonly hint: string;
}

export interface GaveUp {
  readonly host: string;
  readonly filename: string;
  /** The host's addresses the upload was expected from. */
  readonly sources: readonly string[];
  /** The device's refusal of the copy command (COMMAND_REJECTED with its output). */
  readonly deviceError: NetopsError;
  /** Why the server stopped waiting (ABORTED, with the sources it refused meanwhile). */
  readonly waitError: unknown;
  /** The ports the hosted server listens on: a device told `tftp://SERVER/FILE` sends to 69. */
  readonly serverPorts: readonly number[];
}

/** The device's own words: `%Error opening ... (Timed out)`, `TFTP put operation failed:...`. */
function deviceSaid(error: NetopsError): string {
  const output = typeof error.details?.['output'] === 'string' ? error.details['output'] : '';
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^%Error opening |TFTP put operation failed/.test(l));
  return line ?? error.message;
}

function refusedOf(error: unknown): RefusedSource[] {
  const refused = (error as { details?: { refused?: unknown } }).details?.refused;
  return Array.isArray(refused) ? (refused as RefusedSource[]) : [];
}

/** True when a refused copy and a cancelled wait mean the device gave up without a usable upload. */
export function isGaveUp(deviceError: unknown, waitError: unknown): deviceError is NetopsError {
  return (
    deviceError instanceof NetopsError &&
    deviceError.code === 'COMMAND_REJECTED' &&
    (waitError as { code?: string }).code === 'ABORTED'
  );
}

export function gaveUpError(gaveUp: GaveUp): NetopsError {
  const said = deviceSaid(gaveUp.deviceError);
  const refused = refusedOf(gaveUp.waitError);
  const command = String(gaveUp.deviceError.details?.['command'] ?? '');
  const overIPv6 = /tftp:\/\/\[/.test(command);
  const meanwhile =
    refused.length > 0
      ? `; refused meanwhile from ${refused.map((r) => `${r.source} (${r.summary})`).join('; ')}`
      : '; no upload from any other source reached the server either';
  // A tftp:// URL names no port: a device sends to 69 unless it was set otherwise (the lab's tftpPort).
  const offPort = gaveUp.serverPorts.includes(69)
    ? ''
    : ` Also: netops' TFTP server listens on port ${gaveUp.serverPorts.join(', ')}, and a device told tftp://SERVER/FILE ` +
      'uploads to port 69 unless set otherwise: listen on port 69 (root or CAP_NET_BIND_SERVICE) or forward 69 to it.';
  const hint =
    (refused[0]?.hint ??
      (overIPv6
        ? `${gaveUp.host} never reached the server over IPv6. If it has \`ip tftp source-interface\` (show running-config | include tftp), ` +
          "IOS sends IPv6 TFTP from that interface's IPv4 address read as IPv6 (10.254.254.1 -> afe:fe01::), whose replies never arrive, " +
          'even when the interface has an IPv6 address: `no ip tftp source-interface Loopback0` (the interface it names) makes the upload leave ' +
          'from the egress interface, the fix that worked. Otherwise check the route, ACL or VRF to the server address it was given.'
        : `${gaveUp.host} never reached the server: check the route, ACL or VRF to the server address it was given, and that ` +
          '`ip tftp source-interface` (if set) names an interface the server can answer.')) + offPort;
  return new NetopsError(
    'TFTP_NO_UPLOAD',
    `${gaveUp.host} gave up on the upload: it said "${said}"; no upload of ${gaveUp.filename} came from its addresses ` +
      `(${gaveUp.sources.join(', ')})${meanwhile}`,
    {
      hint,
      host: gaveUp.host,
      transient: refused.length === 0,
      cause: gaveUp.deviceError,
      details: {
        said,
        command,
        filename: gaveUp.filename,
        from: gaveUp.sources,
        refused: refused.map((r) => r.source),
      },
    },
  );
}
