/**
 * The secret references an inventory writes: a file path is made absolute against the inventory
 * file, a plain-text secret is accepted with a warning, and where each was written is kept for the
 * error that names it when it cannot be read.
 */
import path from 'node:path';
import type { ConfigIssue, SourcePosition } from './diagnostics.js';
import type { RawSecretRef } from './inventory-schema.js';
import type { SecretRef } from './model.js';
import type { YamlSource } from './yaml-source.js';

export class InventorySecrets {
  /** Plain-text secrets, in the order they were read. */
  readonly warnings: ConfigIssue[] = [];
  // Positions are looked up only when asked for: the file's Document is built on the first one.
  readonly #written = new WeakMap<SecretRef, { source: YamlSource; at: readonly PropertyKey[] }>();

  /** The reference written at `at` in `source`. */
  read(raw: RawSecretRef, source: YamlSource, at: readonly PropertyKey[]): SecretRef {
    let ref: SecretRef;
    if (typeof raw === 'string') {
      ref = { value: raw };
      // Without the source line: it holds the secret, and this warning is printed (and mailed) on every run.
      const { sourceLine: _secret, ...issue } = source.issue(
        at,
        'plain-text secret',
        'Move it to an environment variable ({ env: NAME }) or a 0600 file ({ file: PATH }) and reference that here.',
      );
      this.warnings.push(issue);
    } else if ('file' in raw) {
      ref = { file: path.resolve(path.dirname(source.file), raw.file) };
    } else ref = raw;
    this.#written.set(ref, { source, at });
    return ref;
  }

  /** Where `ref` was written, if this inventory read it. */
  position(ref: SecretRef): SourcePosition | undefined {
    const written = this.#written.get(ref);
    return written && written.source.position(written.at);
  }
}
