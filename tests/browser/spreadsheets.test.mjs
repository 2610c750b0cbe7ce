// Spreadsheets in headless Chromium: a map downloaded as .xlsx, a hand-made matrix uploaded,
// previewed (nothing saved yet) and imported as a new map.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, chromiumOptions, watch, setUpWorkspace, openSample } from './server.mjs';

const fixtures = resolve(import.meta.dirname, '../fixtures');
let server;
let browser;
let page;
let workspaceUrl;
const problems = [];

before(async () => {
  server = await startServer();
  browser = await chromium.launch(chromiumOptions);
  page = watch(await (await browser.newContext({ acceptDownloads: true })).newPage(), problems);
  await setUpWorkspace(page, server.url, { email: 'sam@example.org', name: 'Sam Commissioner', workspace: 'Riverside', password: 'correct horse battery staple' });
  workspaceUrl = await openSample(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a map downloads as a spreadsheet', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a', { hasText: 'Download as a spreadsheet (.xlsx)' }).click()]);
  assert.match(download.suggestedFilename(), /^Organisation map - Northshire - \d{4}-\d{2}-\d{2}\.xlsx$/);
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip, as an .xlsx is');
});

test('a hand-made matrix is previewed, then imported as a new map', async () => {
  await page.goto(`${workspaceUrl}/maps`, { waitUntil: 'networkidle' });
  await page.locator('summary', { hasText: 'Or import a map from a spreadsheet' }).click();
  await page.locator('#import-file-org-map').setInputFiles(join(fixtures, 'hand-made-map.ods'));
  await page.locator('button', { hasText: 'Preview the import' }).click();
  await page.waitForURL(/\/imports\/[0-9a-f-]+$/);
  await page.locator('h1', { hasText: 'Import “hand-made-map.ods”' }).waitFor();
  assert.equal(await page.locator('#import-added').textContent(), 'Added: 9');
  assert.deepEqual(await page.locator('.new-columns li').allTextContents(), ['Age UK Riverside', 'Riverside GP surgery']);
  const unmatched = await page.locator('.unmatched tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].slice(0, 4).map((c) => c.textContent)));
  assert.deepEqual(unmatched, [['hand-made-map', '11', 'A', 'Parking for visitors'], ['hand-made-map', '14', 'B', 'maybe']]);
  assert.ok((await page.locator('.fuzzy li').count()) >= 3, 'reworded labels are listed for checking');

  await page.locator('button', { hasText: /^Import$/ }).click();
  await page.waitForURL(/\/maps\/[0-9a-f-]+$/);
  await page.locator('h1', { hasText: 'Riverside' }).waitFor();
  assert.deepEqual(await page.locator('.matrix__column').allTextContents(), ['Age UK Riverside', 'Riverside GP surgery']);
  assert.match(await page.locator('tr[data-function-id="comm-01"] #cell-0-0').textContent(), /Fully/);
  assert.deepEqual(problems, [], 'no script errors');
});
