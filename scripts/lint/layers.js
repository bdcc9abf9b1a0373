/**
 * The layers of src/, top to bottom: THE table the lint rule (`layer-rule.js`) and the cycle check
 * (`import-cycles.js`) read, and the order of the table in docs/development.md (a test keeps the two
 * alike). A file may import its own folder and any folder below it; data flows down. A rule per
 * folder, not per file: a file moved into a folder takes that folder's place.
 */

/** Top-level folders of src/ in layer order, highest first. */
export const layers = [
  'cli',
  'queue',
  'runner',
  'tasks',
  'report',
  'platforms',
  'channel',
  'transport',
  'snmp',
  'tftp',
  'store',
  'notify',
  'facts',
  'config',
  'net',
  'core',
];

/**
 * Folders beside the stack, with the folders they may use and the folders that may use them.
 * lab/ simulates devices from device-reference.md on its own: were it to import platforms/, a wrong
 * prompt or dialog in a driver would be copied into the simulator and pass every test.
 */
export const sideFolders = {
  lab: { uses: ['core', 'net', 'tftp'], usedBy: ['cli'] },
};

const known = new Set([...layers, ...Object.keys(sideFolders)]);

/**
 * Why `from` may not import `to` (top-level folders of src/), or undefined when it may.
 * @param {string} from
 * @param {string} to
 * @returns {string | undefined}
 */
export function layerViolation(from, to) {
  if (from === to) return undefined;
  for (const folder of [from, to]) {
    if (!known.has(folder))
      return `src/${folder}/ is not in the layer table (scripts/lint/layers.js): place it there`;
  }
  const side = sideFolders[from];
  if (side) {
    return side.uses.includes(to)
      ? undefined
      : `src/${from}/ may use only ${side.uses.map((f) => `${f}/`).join(', ')}`;
  }
  const target = sideFolders[to];
  if (target) {
    return target.usedBy.includes(from)
      ? undefined
      : `only ${target.usedBy.map((f) => `${f}/`).join(', ')} may use src/${to}/`;
  }
  return layers.indexOf(to) > layers.indexOf(from)
    ? undefined
    : `src/${to}/ is above src/${from}/ in the layers (imports go down)`;
}
