/**
 * The report as one self-contained html page: inline style and script, a Content-Security-Policy
 * that forbids any fetch, counts per group and model, the sortable and filterable entity table,
 * the containment tree of each device, and the changes since a date.
 */
import { containmentTree, type EntityNode } from '../facts/containment.js';
import { cell, readableColumns } from './columns.js';
import { reportScript, reportStyle } from './html-assets.js';
import type { Count, InventoryReport } from './inventory.js';

const csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

export function renderHtml(report: InventoryReport): string {
  const title = `Inventory: ${report.devices.length} devices, ${report.rows.length} entities`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${reportStyle}</style>
</head>
<body>
<h1>Inventory</h1>
<p class="meta">${esc(title)} · generated ${esc(report.generatedAt)}${report.classes ? ` · classes ${esc(report.classes.join(', '))}` : ''}</p>
<div class="counts">
${countTable(`Per ${report.groupBy}`, report.groupBy, report.byGroup, 'counts-group')}
${countTable('Per model', 'model', report.byModel, 'counts-model')}
</div>
${changes(report)}
<h2>Entities</h2>
<div class="toolbar"><input id="filter" type="search" placeholder="Filter: words in any column" aria-label="Filter entities"><span id="shown">${report.rows.length} entities</span></div>
${entityTable(report)}
<h2>Containment</h2>
${report.devices.map(deviceTree).join('\n')}
${problems(report)}
<script>${reportScript}</script>
</body>
</html>
`;
}

function countTable(caption: string, key: string, counts: readonly Count[], id: string): string {
  const rows = counts.map(
    (c) =>
      `<tr><td>${esc(c.key)}</td><td class="num">${c.devices}</td><td class="num">${c.entities}</td></tr>`,
  );
  return `<table id="${id}"><caption><h2>${esc(caption)}</h2></caption>
<thead><tr><th>${esc(key)}</th><th class="num">devices</th><th class="num">entities</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function entityTable(report: InventoryReport): string {
  const head = readableColumns(report.groupBy)
    .map((c) => `<th data-key="${c.key}"><button type="button">${esc(c.title)}</button></th>`)
    .join('');
  const body = report.rows.map(
    (r) =>
      `<tr data-host="${esc(r.host)}">${readableColumns(report.groupBy)
        .map((c) => `<td class="${c.key}">${esc(cell(r, c.key))}</td>`)
        .join('')}</tr>`,
  );
  return `<table id="inventory"><thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody></table>`;
}

function deviceTree(device: InventoryReport['devices'][number]): string {
  const os = [device.os.name, device.os.version].filter(Boolean).join(' ');
  const where = [device.system.location, device.inventory.site].filter(Boolean).join(' · ');
  return `<details class="device" data-host="${esc(device.host)}"><summary><strong>${esc(device.host)}</strong> ${esc(os)}${where ? ` · ${esc(where)}` : ''}</summary>
<ul class="tree">${containmentTree(device.entities).map(treeNode).join('')}</ul></details>`;
}

function treeNode(node: EntityNode): string {
  const e = node.entity;
  const parts = [e.model && esc(e.model), e.serial && `<span class="serial">${esc(e.serial)}</span>`]
    .filter(Boolean)
    .join(' · ');
  const children = node.children.length ? `<ul>${node.children.map(treeNode).join('')}</ul>` : '';
  return `<li><span class="cls">${esc(e.class)}</span> ${esc(e.name || e.descr)}${parts ? ` — ${parts}` : ''}${children}</li>`;
}

function changes(report: InventoryReport): string {
  if (report.since === undefined) return '';
  const items = report.changes.map(
    (c) =>
      `<li><span class="date">${esc(c.date)}</span> <strong>${esc(c.host)}</strong>: ${c.changes.map(esc).join('; ')}</li>`,
  );
  return `<section id="changes"><h2>Changes since ${esc(report.since)}</h2>
${items.length ? `<ul class="changes">${items.join('\n')}</ul>` : '<p>No changes.</p>'}</section>`;
}

function problems(report: InventoryReport): string {
  if (report.problems.length === 0) return '';
  return `<h2>Skipped files</h2><ul>${report.problems.map((p) => `<li>${esc(p.file)}: ${esc(p.reason)}</li>`).join('')}</ul>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
