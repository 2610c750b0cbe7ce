// Spreadsheets in headless Chromium: a map downloaded as .xlsx, a hand-made matrix uploaded,
// previewed (nothing saved yet) and imported as a new map, each showing its progress on a slow
// connection.
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

/** Slows the connection to about 20 KB/s each way, so that progress has time to show. */
async function slowConnection(on) {
  const cdp = await page.context().newCDPSession(page);
  const rate = on ? 20 * 1024 : -1;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: on ? 50 : 0, downloadThroughput: rate, uploadThroughput: rate });
}

/** Records every text the page's status lines show from now on, in order, where it outlasts
 * the page (the tab's session storage), since an upload ends by opening another page. */
async function recordStatuses() {
  await page.evaluate(() => {
    sessionStorage.setItem('statuses', '[]');
    new MutationObserver(() => {
      const statuses = JSON.parse(sessionStorage.getItem('statuses'));
      for (const element of document.querySelectorAll('.transfer')) {
        const text = element.textContent.trim();
        if (text && statuses.at(-1) !== text) statuses.push(text);
      }
      sessionStorage.setItem('statuses', JSON.stringify(statuses));
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

const statuses = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('statuses')));

test('a map downloads as a spreadsheet, with its progress', async () => {
  await recordStatuses();
  await slowConnection(true);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a', { hasText: 'Download as a spreadsheet (.xlsx)' }).click()]);
  await slowConnection(false);
  assert.match(download.suggestedFilename(), /^Organisation map - Northshire - \d{4}-\d{2}-\d{2}\.xlsx$/);
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip, as an .xlsx is');
  await page.locator('.transfer', { hasText: 'Downloaded “Organisation map - Northshire' }).waitFor();
  const shown = await statuses();
  assert.equal(shown[0], 'Preparing the file…', shown.join(' | '));
  assert.ok(shown.some((s) => /^Downloading: \d+%$/.test(s)), `a percentage shows: ${shown.join(' | ')}`);
});

test('a hand-made matrix is previewed, then imported as a new map', async () => {
  await page.goto(`${workspaceUrl}/maps`, { waitUntil: 'networkidle' });
  await page.locator('summary', { hasText: 'Or import a map from a spreadsheet' }).click();
  await page.locator('#import-file-org-map').setInputFiles(join(fixtures, 'hand-made-map.ods'));
  await recordStatuses();
  await slowConnection(true);
  await page.locator('button', { hasText: 'Preview the import' }).click();
  await page.waitForURL(/\/imports\/[0-9a-f-]+$/);
  await slowConnection(false);
  const shown = await statuses();
  assert.ok(shown.some((s) => /^Uploading “hand-made-map\.ods”: \d+%$/.test(s)), shown.join(' | '));
  assert.equal(shown.at(-1), 'Reading and checking “hand-made-map.ods”…', shown.join(' | '));
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
