/** The report as Markdown for a wiki: counts, one entity table per device, and the changes. */
import { containmentTree, type EntityNode } from '../facts/containment.js';
import { readableColumns, cell } from './columns.js';
import type { Count, InventoryReport } from './inventory.js';

export function renderMarkdown(report: InventoryReport): string {
  const out: string[] = [
    `# Inventory`,
    '',
    `Generated ${report.generatedAt} from ${report.devices.length} devices, ${report.rows.length} entities.`,
    '',
  ];
  out.push(`## Per ${report.groupBy}`, '', ...countTable(report.groupBy, report.byGroup), '');
  out.push('## Per model', '', ...countTable('model', report.byModel), '');
  if (report.since !== undefined) {
    out.push(`## Changes since ${report.since}`, '');
    if (report.changes.length === 0) out.push('No changes.');
    for (const c of report.changes)
      out.push(`- ${c.date} **${esc(c.host)}**: ${c.changes.map(esc).join('; ')}`);
    out.push('');
  }
  const columns = readableColumns(report.groupBy).filter((c) => c.key !== 'host' && c.key !== 'osVersion');
  for (const device of report.devices) {
    out.push(
      `## ${esc(device.host)}`,
      '',
      `${esc([device.os.name, device.os.version].filter(Boolean).join(' '))} · ${esc(device.system.location)}`,
      '',
    );
    out.push(row(columns.map((c) => c.title)), row(columns.map(() => '---')));
    for (const r of report.rows.filter((x) => x.host === device.host))
      out.push(row(columns.map((c) => esc(cell(r, c.key)))));
    out.push('', '```', ...tree(containmentTree(device.entities), ''), '```', '');
  }
  for (const p of report.problems) out.push(`- skipped ${esc(p.file)}: ${esc(p.reason)}`);
  return `${out.join('\n').trimEnd()}\n`;
}

function countTable(title: string, counts: readonly Count[]): string[] {
  return [
    row([title, 'devices', 'entities']),
    row(['---', '---:', '---:']),
    ...counts.map((c) => row([esc(c.key), String(c.devices), String(c.entities)])),
  ];
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Pipes would end a cell, newlines a row, and `<` could start html a wiki renders. */
function esc(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

function tree(nodes: readonly EntityNode[], indent: string): string[] {
  return nodes.flatMap((n) => {
    const e = n.entity;
    const label = [e.name || `${e.class} ${e.index}`, e.model, e.serial && `SN ${e.serial}`]
      .filter(Boolean)
      .join('  ');
    return [`${indent}${label.replace(/\r?\n/g, ' ')}`, ...tree(n.children, `${indent}  `)];
  });
}
