/**
 * The html report in a real headless Chromium (Debian's): one file that fetches nothing, a table
 * with one row per entity, sorting by serial, a filter that narrows rows, the containment tree,
 * and a screenshot kept in test-artifacts/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInventory } from '../../src/report/inventory.js';
import { renderHtml } from '../../src/report/render-html.js';
import { sampleFacts } from './sample-facts.js';
import { useTempDir } from '../helpers/fixture.js';

const artifacts = path.resolve('test-artifacts');
const dir = useTempDir('netops-html-');
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
let fileUrl: string;

beforeAll(async () => {
  const file = path.join(dir, 'inventory.html');
  const report = buildInventory(sampleFacts, {
    since: new Date('2026-05-01T00:00:00Z'),
    changes: [
      {
        date: '2026-06-01T02:00:00+00:00',
        commit: 'abc',
        host: 'r1',
        changes: ['module 2 serial FOC1234 -> FOC9876'],
      },
    ],
  });
  await writeFile(file, renderHtml(report));
  fileUrl = pathToFileURL(file).href;
  context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(fileUrl);
}, 60_000);

afterAll(async () => {
  await context?.close();
});

const column = (key: string) =>
  page.$$eval(`#inventory tbody tr:not([hidden]) td.${key}`, (cells) =>
    cells.map((c) => c.textContent ?? ''),
  );

describe('html report in Chromium', () => {
  it('is one file that requests nothing else', () => {
    expect(requests).toEqual([fileUrl]);
  });

  it('has a row per entity, counts per site and model, the tree and the changes', async () => {
    expect(await page.locator('#inventory tbody tr').count()).toBe(15);
    expect(await page.locator('#shown').textContent()).toBe('15 of 15 entities');
    const perSite = await page.locator('#counts-group tbody td').allTextContents();
    expect(perSite).toEqual([...['DC1', '1', '5'], ...['Site A', '1', '5'], ...['Site B', '1', '5']]);
    expect(
      await page.locator('#counts-model tbody tr', { hasText: 'HWIC-4ESW' }).locator('td').allTextContents(),
    ).toEqual(['HWIC-4ESW', '2', '2']);
    const tree = page.locator('details.device[data-host="n7k-core1"]');
    await tree.locator('summary').click();
    await expect.poll(() => tree.locator('ul.tree > li > ul > li').count()).toBe(3);
    expect(
      await tree.locator('ul.tree > li > ul > li', { hasText: 'Slot 1' }).locator('li').textContent(),
    ).toContain('JAF1111AAAA');
    expect(await page.locator('#changes').textContent()).toContain('r1: module 2 serial FOC1234 -> FOC9876');
  });

  it('sorts by serial both ways, empty serials last', async () => {
    const serialHeader = page.locator('#inventory th[data-key="serial"] button');
    await serialHeader.click();
    const ascending = await column('serial');
    const filled = ascending.filter(Boolean);
    expect(filled).toEqual(
      [...filled].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' })),
    );
    expect(filled[0]).toBe('DCAALBC');
    expect(ascending.slice(filled.length).every((s) => s === '')).toBe(true);
    expect(await page.locator('#inventory th[data-key="serial"]').getAttribute('aria-sort')).toBe(
      'ascending',
    );

    await serialHeader.click();
    const descending = (await column('serial')).filter(Boolean);
    expect(descending).toEqual([...filled].reverse());
  });

  it('narrows rows with the filter and restores them when cleared', async () => {
    await page.fill('#filter', 'jaf');
    expect(await column('serial')).toEqual(expect.arrayContaining(['JAF1111AAAA', 'JAF5555BBBB']));
    expect(await page.locator('#inventory tbody tr:not([hidden])').count()).toBe(2);
    expect(await page.locator('#shown').textContent()).toBe('2 of 15 entities');
    await page.fill('#filter', 'r2 hwic-4esw');
    expect(await column('host')).toEqual(['r2']);
    await mkdir(artifacts, { recursive: true });
    await page.fill('#filter', '');
    expect(await page.locator('#inventory tbody tr:not([hidden])').count()).toBe(15);
    await page.screenshot({ path: path.join(artifacts, 'inventory-report.png'), fullPage: true });
  });
});
