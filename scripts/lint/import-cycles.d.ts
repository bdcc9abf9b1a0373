/** Types of import-cycles.js for the TypeScript tests. */
export function importGraph(dir: string): Map<string, string[]>;
export function importCycles(graph: Map<string, string[]>): { files: string[]; path: string[] }[];
