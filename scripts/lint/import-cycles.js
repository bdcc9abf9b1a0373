/**
 * Import cycles among the TypeScript files of a folder (src/ by default): every relative import,
 * re-export, `import type` and literal `import()` is an edge, read by TypeScript's own pre-parser.
 * Cycles are the strongly connected components of that graph (Tarjan). Run as a script it prints
 * them and exits 1: `node scripts/lint/import-cycles.js [folder]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Files of `dir` (recursively) and what each imports among them.
 * @param {string} dir
 * @returns {Map<string, string[]>} absolute file -> absolute files it imports
 */
export function importGraph(dir) {
  const files = listTypeScript(path.resolve(dir));
  const present = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((ref) => ref.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.resolve(path.dirname(file), spec).replace(/\.(m?)js$/, '.$1ts'))
      .filter((target) => present.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

function listTypeScript(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTypeScript(full);
    return /\.m?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * The cycles of `graph`: each strongly connected component of more than one file (or a file that
 * imports itself), with one closed path through it to show where to cut.
 * @param {Map<string, string[]>} graph
 * @returns {{ files: string[], path: string[] }[]}
 */
export function importCycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let next = 0;
  // Iterative Tarjan: src/ is deep enough that recursion depth is not worth the risk.
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work = [{ node: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(to)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  }
  return components.map((files) => ({ files, path: closedPath(graph, new Set(files), files[0]) }));
}

/** A shortest path from `start` back to itself inside one component (breadth-first). */
function closedPath(graph, members, start) {
  const cameFrom = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const route = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)) route.splice(1, 0, at);
        return [...route, start];
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? 'src');
  const graph = importGraph(dir);
  const cycles = importCycles(graph);
  const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
  const name = (file) => path.relative(process.cwd(), file);
  for (const cycle of cycles)
    console.log(`cycle of ${cycle.files.length} files: ${cycle.path.map(name).join(' -> ')}`);
  console.log(
    `${cycles.length} import cycle(s) among ${graph.size} files and ${edges} imports in ${name(dir)}/`,
  );
  process.exitCode = cycles.length > 0 ? 1 : 0;
}
