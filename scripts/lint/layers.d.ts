/** Types of layers.js for the TypeScript tests. */
export const layers: readonly string[];
export const sideFolders: Readonly<Record<string, { uses: readonly string[]; usedBy: readonly string[] }>>;
export function layerViolation(from: string, to: string): string | undefined;
