/**
 * The inline style and script of the html report. The script only sorts and filters the rows the
 * page already holds, so the report reads the same with scripts off; nothing is fetched.
 */

export const reportStyle = `
:root { color-scheme: light dark; --line: #8884; --muted: #777; --accent: #2a6fdb; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 80rem; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin-top: 0; }
.counts { display: flex; gap: 2rem; flex-wrap: wrap; align-items: flex-start; }
table { border-collapse: collapse; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
#inventory { width: 100%; }
#inventory th { position: sticky; top: 0; background: Canvas; }
#inventory th button { all: unset; cursor: pointer; font-weight: 600; }
#inventory th button:focus-visible { outline: 2px solid var(--accent); }
#inventory th[aria-sort=ascending] button::after { content: ' \\25B2'; }
#inventory th[aria-sort=descending] button::after { content: ' \\25BC'; }
#inventory td.serial, .tree .serial { font-family: ui-monospace, monospace; }
#inventory td.host, #inventory td.serial, #inventory td.model { white-space: nowrap; }
.toolbar { display: flex; gap: 1rem; align-items: center; margin: 0.5rem 0; }
#filter { font: inherit; padding: 0.3rem 0.5rem; min-width: 20rem; }
.tree, .tree ul { list-style: none; padding-left: 1.2rem; margin: 0; }
.tree li { border-left: 1px solid var(--line); padding-left: 0.5rem; }
.cls { display: inline-block; min-width: 6.5rem; color: var(--muted); }
details { margin: 0.3rem 0; } summary { cursor: pointer; }
.changes li { margin: 0.2rem 0; } .date { color: var(--muted); font-variant-numeric: tabular-nums; }
`;

export const reportScript = `
(() => {
  const table = document.getElementById('inventory');
  const body = table.tBodies[0];
  const filter = document.getElementById('filter');
  const shown = document.getElementById('shown');
  const rows = Array.from(body.rows);
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const text = (row, col) => row.cells[col].textContent.trim();

  function applyFilter() {
    const terms = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let count = 0;
    for (const row of rows) {
      const haystack = row.textContent.toLowerCase();
      row.hidden = !terms.every((t) => haystack.includes(t));
      if (!row.hidden) count++;
    }
    shown.textContent = count + ' of ' + rows.length + ' entities';
  }

  function sortBy(th) {
    const col = th.cellIndex;
    const direction = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    for (const other of th.parentElement.cells) other.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', direction);
    const sign = direction === 'ascending' ? 1 : -1;
    // Empty cells go last either way: a missing serial is never the interesting end of the list.
    rows.sort((a, b) => {
      const x = text(a, col), y = text(b, col);
      if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1);
      return sign * collator.compare(x, y);
    });
    body.append(...rows);
  }

  table.tHead.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (button) sortBy(button.parentElement);
  });
  filter.addEventListener('input', applyFilter);
  applyFilter();
})();
`;
