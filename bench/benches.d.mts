/** The benches `npm run bench -- NAME` knows, by name (benches.mjs). */
export const benches: Readonly<Record<string, () => Promise<unknown>>>;
