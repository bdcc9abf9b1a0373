/** The report as JSON: the facts of the selected devices plus counts and changes, for scripts. */
import type { InventoryReport } from './inventory.js';

export function renderJson(report: InventoryReport): string {
  const { rows: _rows, ...rest } = report;
  return `${JSON.stringify(rest, null, 2)}\n`;
}
