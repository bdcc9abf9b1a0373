/**
 * CSV per RFC 4180: CRLF line ends, a header line, fields quoted when they hold a comma, quote,
 * CR or LF, quotes doubled. One row per physical entity, every field, so it reads back into facts.
 */
import { allColumns, cell } from './columns.js';
import type { InventoryReport } from './inventory.js';

export function renderCsv(report: InventoryReport): string {
  const lines = [
    allColumns.map((c) => c.title),
    ...report.rows.map((r) => allColumns.map((c) => cell(r, c.key))),
  ];
  return lines.map((fields) => fields.map(quote).join(',')).join('\r\n') + '\r\n';
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
