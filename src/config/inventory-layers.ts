/**
 * A host's values come in layers, closest first: the host itself, its groups, then `defaults`. Each
 * field is taken from the closest layer that sets it; `data` merges key by key across all of them.
 */
import type { InheritableField, InheritableValues } from './inventory-schema.js';
import { inheritableFieldNames } from './inventory-schema.js';
import type { Origin } from './model.js';
import type { YamlSource } from './yaml-source.js';

/** One level of a host's values and where it is written. */
export interface Layer {
  readonly origin: Origin['source'];
  readonly source: YamlSource;
  readonly path: readonly PropertyKey[];
  readonly values: InheritableValues;
}

export type Picked = { [F in InheritableField]?: { value: InheritableValues[F]; layer: Layer } };

/** Each inheritable field from the closest layer that sets it. */
export function pickFields(layers: readonly Layer[]): Picked {
  const picked: Record<string, { value: unknown; layer: Layer }> = {};
  for (const field of inheritableFieldNames) {
    for (const layer of layers) {
      const value = layer.values[field];
      if (value === undefined) continue;
      picked[field] = { value, layer };
      break;
    }
  }
  return picked as Picked;
}

/** The `data` of a host: every layer's merged under the closer ones. */
export function mergedData(layers: readonly Layer[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const layer of layers) mergeData(data, layer.values.data ?? {}, []);
  return data;
}

/** Where each resolved field of a host was written (`data.KEY.SUBKEY` for each value in data). */
export function originsOf(layers: readonly Layer[]): Record<string, Origin> {
  const [hostLayer] = layers;
  if (!hostLayer) return {};
  const written = (layer: Layer, at: readonly PropertyKey[]): Origin => {
    const pos = layer.source.position([...layer.path, ...at]);
    return { source: layer.origin, file: pos.file, line: pos.line };
  };
  const origin: Record<string, Origin> = {};
  for (const [field, { layer }] of Object.entries(pickFields(layers)))
    if (field !== 'data') origin[field] = written(layer, [field]);
  const data: Record<string, unknown> = {};
  for (const layer of layers) {
    mergeData(data, layer.values.data ?? {}, [], (at) => {
      origin[`data.${at.join('.')}`] = written(layer, ['data', ...at]);
    });
  }
  origin['transport'] ??= { source: 'built-in' };
  origin['address'] = written(hostLayer, ['address']);
  return origin;
}

/**
 * Merges one layer's `data` under what closer layers already set: mappings merge key by key at every
 * depth (a group's `vpn: { psk }` and a host's `vpn: { peer }` give both), while a list or a value
 * set by a closer layer replaces the farther one whole. `found` hears the path of every value taken.
 */
function mergeData(
  into: Record<string, unknown>,
  layer: Readonly<Record<string, unknown>>,
  at: readonly string[],
  found?: (at: readonly string[]) => void,
): void {
  for (const key of Object.keys(layer)) {
    const value = layer[key];
    const here = found ? [...at, key] : at; // the path is built only for whom listens
    const current = into[key];
    if (current === undefined) {
      if (!isMapping(value) || Object.keys(value).length === 0) {
        into[key] = value;
        found?.(here);
        continue;
      }
      into[key] = {};
    } else if (!isMapping(current) || !isMapping(value)) continue;
    mergeData(into[key] as Record<string, unknown>, value as Record<string, unknown>, here, found);
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
