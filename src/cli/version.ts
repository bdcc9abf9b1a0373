/** netops' version, as package.json says (core/version.ts: the store's records name it too). */
export { version } from '../core/version.js';
