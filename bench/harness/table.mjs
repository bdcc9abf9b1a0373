// The table every bench prints: each measure beside its baseline from the same run, the ratio, and
// the issue's goal with whether this run met it.

/** netops / baseline: below 1 is faster for times, above 1 is more for throughputs. */
export function ratio(row) {
  return typeof row.netops === 'number' && typeof row.baseline === 'number' && row.baseline > 0
    ? row.netops / row.baseline
    : undefined;
}

/**
 * Whether a row meets its goal: `{ max }`/`{ min }` bound the netops figure, `{ ratioMax }`/`{ ratioMin }`
 * bound the ratio. undefined when the row has no goal or a figure is missing.
 */
export function goalMet(row) {
  const goal = row.goal;
  if (!goal || typeof row.netops !== 'number') return undefined;
  const r = ratio(row);
  const checks = [
    goal.max === undefined || row.netops <= goal.max,
    goal.min === undefined || row.netops >= goal.min,
    goal.ratioMax === undefined || (r !== undefined && r <= goal.ratioMax),
    goal.ratioMin === undefined || (r !== undefined && r >= goal.ratioMin),
  ];
  return checks.every(Boolean);
}

export function formatNumber(value, unit) {
  if (typeof value !== 'number') return value ?? '-';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/** Rows as cells: measure, netops, baseline (named), ratio, goal, met. */
export function cells(row) {
  const r = ratio(row);
  const met = goalMet(row);
  return [
    row.measure,
    formatNumber(row.netops, row.unit),
    row.baseline === undefined ? '-' : `${formatNumber(row.baseline, row.unit)} (${row.baselineName})`,
    r === undefined ? '-' : `${r.toFixed(2)}x`,
    row.goal?.text ?? '-',
    met === undefined ? '-' : met ? 'yes' : 'NO',
  ];
}

export const header = ['measure', 'netops', 'baseline', 'ratio', 'goal', 'met'];

/** A plain-text table for the terminal. */
export function textTable(rows) {
  const lines = [header, ...rows.map(cells)];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => String(l[i]).length)));
  return lines
    .map((l) =>
      l
        .map((c, i) => String(c).padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The same table in Markdown, for docs/performance.md. */
export function markdownTable(rows) {
  const escape = (c) => String(c).replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${cells(row).map(escape).join(' | ')} |`),
  ].join('\n');
}
