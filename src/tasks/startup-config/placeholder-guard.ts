/**
 * A stored backup has its secrets replaced by sanitizer placeholders; installed on a device, every
 * placeholder becomes a password or key and the next login fails. So a source (file or template)
 * or a rendered config holding one is refused before anything is contacted, naming each line.
 */
import type { Host } from '../../config/model.js';
import { NetopsError } from '../../core/errors.js';
import { findSecretPlaceholders } from '../../store/placeholders.js';
import type { ConfigRules } from '../../store/rules.js';
import { maskConfig } from './compare.js';

/**
 * Throws CONFIG_INVALID when `text` holds a sanitizer placeholder. `where` names the text as the
 * user knows it: a file (`configs/r3.cfg`) or a rendered template (`t.liquid rendered for r3`).
 */
export function refuseSecretPlaceholders(
  host: Host,
  where: string,
  text: string,
  rules: ConfigRules | undefined,
): void {
  const found = findSecretPlaceholders(text);
  if (found.length === 0) return;
  // Every line is named, so all can be fixed at once. The rest of a line may hold a secret the
  // template filled in: lines are quoted masked.
  const quoted = found.map((f) => `  ${where}:${f.line}: ${maskConfig(f.text, rules).trim()}`);
  throw new NetopsError(
    'CONFIG_INVALID',
    `${host.name}: ${where} holds ${found.length} secret placeholder(s) of a masked backup; installed, they would become the device's passwords and keys:\n${quoted.join('\n')}`,
    {
      hint: 'A config from the store has its secrets masked and cannot be installed as it is. Put the real values back (or use a template with `{{ secrets.NAME }}` and `secrets:` in the step), then run `--plan` again.',
      host: host.name,
      details: { source: where, lines: found.map((f) => f.line) },
    },
  );
}
