/** IOS and NX-OS configuration lines that change what the device boots next time. */
import type { DestructiveConfigLine } from '../spec.js';

export const ciscoBootLines: readonly DestructiveConfigLine[] = [
  { pattern: /^(no\s+)?boot\s/i, effect: 'changes what the device boots' },
  { pattern: /^config-register\s/i, effect: 'changes the configuration register (boot behaviour)' },
];
