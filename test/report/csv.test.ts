/** The CSV report is RFC 4180 and reads back into exactly the stored facts. */
import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../src/report/inventory.js';
import { renderCsv } from '../../src/report/render-csv.js';
import type { PhysicalEntity } from '../../src/facts/device-facts.js';
import { sampleFacts } from './sample-facts.js';

/** A strict RFC 4180 reader: quoted fields may hold commas, CRLF and doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      // Skip doubled quotes: find a quote not followed by another one.
      let end = i + 1;
      for (;;) {
        const q = text.indexOf('"', end);
        if (text[q + 1] === '"') end = q + 2;
        else {
          end = q;
          break;
        }
      }
      field = text.slice(i + 1, end).replace(/""/g, '"');
      i = end + 1;
    } else if (c === ',') {
      endField();
      i++;
    } else if (text.startsWith('\r\n', i)) {
      endField();
      records.push(record);
      record = [];
      i += 2;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  expect(field).toBe('');
  return records;
}

const numeric = new Set(['index', 'containedIn', 'parentRelPos']);

describe('csv report', () => {
  it('has one row per entity whose fields equal the facts, quotes and line breaks included', () => {
    const csv = renderCsv(buildInventory(sampleFacts));
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(csv);
    expect(rows).toHaveLength(sampleFacts.reduce((n, d) => n + d.entities.length, 0));

    const back = new Map<string, PhysicalEntity[]>();
    for (const row of rows) {
      const record = Object.fromEntries(header!.map((h, i) => [h, row[i]!]));
      const entity: Record<string, unknown> = {};
      for (const key of Object.keys(sampleFacts[0]!.entities[0]!)) {
        const value = record[key]!;
        entity[key] = numeric.has(key) ? Number(value) : key === 'isFru' ? value === 'true' : value;
      }
      back.set(record.host!, [...(back.get(record.host!) ?? []), entity as PhysicalEntity]);
      expect(record.site).toBe(sampleFacts.find((d) => d.host === record.host)?.inventory.site);
    }
    for (const device of sampleFacts) {
      expect(back.get(device.host)).toEqual(device.entities);
    }
    // The supervisor's description holds quotes and a line break, so it must have been quoted.
    expect(csv).toContain('"Supervisor ""Module-2""\nwith CMP"');
  });

  it('keeps only the classes asked for', () => {
    const [, ...rows] = parseCsv(renderCsv(buildInventory(sampleFacts, { classes: ['chassis'] })));
    expect(rows.map((r) => r[0])).toEqual(['n7k-core1', 'r1', 'r2']);
  });
});
