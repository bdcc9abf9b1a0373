/**
 * How big the reliability suite runs. `npm test` runs it CI-sized (seconds, deterministic);
 * `npm run reliability` sets NETOPS_RELIABILITY=full for the full sizes and NETOPS_RELIABILITY_OUT to
 * a folder where each test leaves its figures for docs/reliability.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const fullSize = process.env['NETOPS_RELIABILITY'] === 'full';

export const scale = {
  /** Lab devices in the faulty fleet; one in ten misbehaves at full size, one per fault or persona and method in CI. */
  fleetDevices: fullSize ? 1000 : 60,
  /** Transfers per client and direction through the lossy proxy. */
  lossyTransfers: fullSize ? 40 : 2,
  /** SNMP requests through the lossy proxy. */
  lossySnmpRequests: fullSize ? 400 : 20,
} as const;

/** Leaves one area's figures for the reliability runner; nothing is written in a plain `npm test`. */
export function reportFigures(area: string, figures: Record<string, unknown>): void {
  const dir = process.env['NETOPS_RELIABILITY_OUT'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${area}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}
