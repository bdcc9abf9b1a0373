import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labSpecSchema } from '../../src/lab/spec.js';

describe('lab spec', () => {
  it('the documented example parses, with its per-device overrides', async () => {
    const spec = labSpecSchema.parse(parse(await readFile('docs/examples/lab-spec.yaml', 'utf8')));
    expect(spec.devices).toBe(6);
    expect(spec.overrides.r4).toEqual({
      configBytes: 400000,
      faults: { tftp: 'truncated', snmp: { delayMs: 2000 } },
    });
  });

  it('an empty spec is a valid two-device lab', () => {
    expect(labSpecSchema.parse({})).toMatchObject({ devices: 2, platforms: ['ios', 'nxos'], tftpPort: 69 });
  });

  it('rejects an unknown fault knob instead of ignoring it', () => {
    expect(labSpecSchema.safeParse({ faults: { latencyMS: 100 } }).success).toBe(false);
  });
});
