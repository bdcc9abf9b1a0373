// One inventory load in its own process, so its peak RSS is that load's alone (bench.mjs runs it):
//   node bench/inventory/measure.mjs MODE FILE   MODE: yaml | js-yaml | netops | origins
// Prints { ms, rssMB, hosts } as JSON.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import jsYaml from 'js-yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.env.NETOPS_DIST ?? path.join(here, '../../dist'));
const [mode, file] = process.argv.slice(2);
const { loadInventory } = await import(pathToFileURL(path.join(dist, 'config/inventory.js')).href);
const { inventoryVocabulary } = await import(pathToFileURL(path.join(dist, 'cli/load.js')).href);
const started = process.hrtime.bigint();
let hosts;
if (mode === 'yaml')
  hosts = Object.keys(parse(readFileSync(file, 'utf8'), { uniqueKeys: false }).hosts).length;
else if (mode === 'js-yaml') hosts = Object.keys(jsYaml.load(readFileSync(file, 'utf8')).hosts).length;
else {
  // The loader before the vocabulary existed took the files alone.
  const inventory = await loadInventory([file], await inventoryVocabulary?.()).catch((error) => {
    if (error.code !== 'CONFIG_INVALID') throw error;
    return undefined; // a value too long to parse is refused up front
  });
  hosts = inventory ? inventory.hosts.size : 'refused';
  if (inventory && mode === 'origins') for (const name of inventory.hosts.keys()) inventory.origins(name);
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, hosts }));
process.exit(0);
