/** fleet.mjs: a deterministic fleet of switch configs and its nightly changes. */
export interface FleetConfig {
  readonly name: string;
  lines: string[];
}
export function seeded(seed: number): () => number;
export function fleet(devices: number, seed?: number): FleetConfig[];
export function nightOfChanges(configs: FleetConfig[], random: () => number): string[];
export function text(config: FleetConfig): string;
