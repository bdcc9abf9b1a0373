/**
 * What a task keeps of a device's output (run record, files): `show running-config` holds the same
 * secrets a backup masks, so outputs pass the host platform's secret rules, then the run's
 * redactor for values netops itself sent (a password echoed back).
 */
import { platforms } from '../platforms/registry.js';
import { commonSecretRules } from '../store/common-rules.js';
import { maskSecrets } from '../store/sanitize.js';
import type { TaskContext } from './task.js';

export function keptOutput(ctx: Pick<TaskContext, 'host' | 'redact'>, text: string): string {
  const rules = platforms[ctx.host.platform ?? '']?.configRules?.secrets ?? commonSecretRules;
  const masked = maskSecrets(text.split('\n'), rules).lines.join('\n');
  return ctx.redact?.(masked) ?? masked;
}
