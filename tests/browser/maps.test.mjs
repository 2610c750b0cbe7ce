// The organisation map in headless Chromium: a map, three organisations, cells set with the
// keyboard only, gaps appearing and disappearing, a stale edit refused, a plan action, a copy
// of the map and the review comparing the two.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, chromiumOptions, watch, setUpWorkspace, assertAccessible } from './server.mjs';

const PASSWORD = 'correct horse battery staple';
let server;
let browser;
let page;
let mapUrl;
const problems = [];


const status = (row) => page.locator(`tr[data-function-id="comm-0${row + 1}"] .matrix__status`);
const cell = (row, column) => page.locator(`#cell-${row}-${column}`);

// Presses a key that saves a cell, and waits until the save has been answered and shown.
async function press(key, on = page) {
  await Promise.all([on.waitForResponse((r) => r.url().endsWith('/api/set_cell')), on.keyboard.press(key)]);
  await on.locator('.matrix-status[data-saving="false"]').waitFor({ state: 'attached' });
}

before(async () => {
  server = await startServer();
  browser = await chromium.launch(chromiumOptions);
  page = watch(await (await browser.newContext()).newPage(), problems);
  await setUpWorkspace(page, server.url, { email: 'ann@example.org', name: 'Ann Commissioner', workspace: 'Riverside partnership', password: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a map is created and three organisations become its columns', async () => {
  await page.locator('a', { hasText: 'Organisation maps' }).click();
  await page.locator('h1', { hasText: 'Organisation maps' }).waitFor();
  await page.locator('#field-area').fill('Riverside');
  assert.match(await page.locator('#field-date').inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'the date defaults to today');
  await page.locator('button', { hasText: 'Create the map' }).click();
  await page.waitForURL(/\/maps\/[0-9a-f-]+$/);
  mapUrl = page.url();
  await page.locator('.summary__overall', { hasText: '0 of 46 functions' }).waitFor();
  await assertAccessible(page, assert, 'a new map with no organisations');
  assert.equal(await status(0).textContent(), 'Gap: nobody provides it');

  for (const [name, sector] of [['Adult Social Care', 'statutory'], ['Age UK Riverside', 'voluntary'], ['Riverside GP Practice', 'independent']]) {
    await page.locator('#field-add-name').fill(name);
    await page.locator('#field-add-sector').selectOption(sector);
    await page.locator('#field-add-locality').fill('Riverside');
    await page.locator('button', { hasText: 'Add the organisation' }).click();
    await page.locator('.matrix__column', { hasText: name }).waitFor();
  }
  await page.locator('#organisations-heading', { hasText: 'Organisations (3)' }).waitFor();
  assert.equal(await page.locator('thead .matrix__column').count(), 3);
  await assertAccessible(page, assert, 'the map with three organisations');
});

test('cells are set with the keyboard only, and a gap appears and disappears', async () => {
  await cell(0, 0).focus();
  await press('Space');
  assert.equal(await status(0).textContent(), 'Gap: only partly provided');
  assert.match(await cell(0, 0).textContent(), /Partly/);
  await press('Enter');
  assert.equal(await status(0).textContent(), 'One provider only', 'the gap has gone');
  assert.match(await page.locator('tr[data-function-id="comm-01"]').getAttribute('class'), /tone--fragile/, 'one provider in an area is a warning');
  await page.locator('.summary__overall', { hasText: '1 of 46 functions' }).waitFor();

  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cell-0-1');
  await press('Space');
  await press('Space');
  assert.equal(await status(0).textContent(), 'Covered');

  await page.keyboard.press('ArrowLeft');
  await press('Space');
  assert.equal(await status(0).textContent(), 'One provider only');
  await page.keyboard.press('ArrowRight');
  await press('Space');
  assert.equal(await status(0).textContent(), 'Gap: nobody provides it', 'the gap is back');

  // Down a row, then a note from the keyboard.
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cell-1-1');
  await press('Space');
  await page.keyboard.press('n');
  await page.locator('#cell-note').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cell-note');
  await page.keyboard.type('Tuesdays only');
  await page.keyboard.press('Tab');
  await press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cell-1-1', 'focus returns to the cell');

  // Everything was stored: a fresh load shows it.
  await page.reload({ waitUntil: 'networkidle' });
  assert.match(await cell(1, 1).textContent(), /Partly.*Note: Tuesdays only/);
  assert.equal(await cell(0, 0).getAttribute('class'), 'cell cell--none');
  assert.equal(await status(0).textContent(), 'Gap: nobody provides it');
  assert.equal(await status(1).textContent(), 'Gap: only partly provided');

  // Only gaps: a provided function's row hides, a gap's row stays.
  await cell(4, 0).focus();
  await press('Space');
  await press('Space');
  await page.locator('label.checkbox input').check();
  assert.equal(await page.locator('tr:has(#cell-4-0)').isHidden(), true);
  assert.equal(await page.locator('tr:has(#cell-2-0)').isVisible(), true);
  await page.locator('label.checkbox input').uncheck();
});

test('the skip links move focus on the hydrated page: to the main content, then past the map to its matrix', async () => {
  await page.goto(mapUrl, { waitUntil: 'networkidle' });
  const focused = () => page.evaluate(() => ({ id: document.activeElement.id, text: document.activeElement.textContent.trim() }));
  let tabs = 0;
  const tab = async () => { tabs += 1; await page.keyboard.press('Tab'); };
  await tab();
  assert.equal((await focused()).text, 'Skip to main content');
  await page.keyboard.press('Enter');
  assert.equal((await focused()).id, 'main', 'focus moves to the main content, not back to the header');
  while ((await focused()).text !== 'Go to the matrix') {
    assert.ok(tabs < 10, 'the link to the matrix comes early in the page');
    await tab();
  }
  await page.keyboard.press('Enter');
  assert.match((await focused()).id, /^cell-\d+-\d+$/, 'focus is on the grid\'s cell');
  assert.ok(tabs <= 5, `${tabs} Tab presses from the top of the page to a cell`);
});

test('Page Up and Page Down move ten rows, Ctrl+Home and Ctrl+End go to the corners', async () => {
  await cell(0, 0).focus();
  const at = () => page.evaluate(() => document.activeElement.id);
  await page.keyboard.press('PageDown');
  assert.equal(await at(), 'cell-10-0');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('PageUp');
  assert.equal(await at(), 'cell-0-1');
  await page.keyboard.press('Control+End');
  assert.equal(await at(), 'cell-45-2', 'the last function, the last organisation');
  await page.keyboard.press('Control+Home');
  assert.equal(await at(), 'cell-0-0');
});

test('an edit made on a stale view is refused with the current value', async () => {
  const other = watch(await page.context().newPage(), problems);
  await other.goto(mapUrl, { waitUntil: 'networkidle' });
  await other.locator('#cell-2-2').focus();
  await press('Space', other);
  await other.close();

  await cell(2, 2).focus();
  await page.keyboard.press('Space');
  const alert = page.locator('[role="alert"]', { hasText: 'Someone else changed this cell' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /it is now Partly provided/);
  assert.match(await cell(2, 2).textContent(), /Partly/, 'the cell shows the current value');
  await press('Space');
  assert.match(await cell(2, 2).textContent(), /Fully/, 'the next edit builds on the current value');
});

test('an action is added to the implementation plan', async () => {
  await page.locator('a', { hasText: 'Implementation plan' }).click();
  await page.locator('h1', { hasText: 'Implementation plan' }).waitFor();
  await page.locator('.empty', { hasText: 'No actions yet' }).waitFor();
  const option = await page.locator('#field-add-function_id option').first().textContent();
  assert.match(option, /Gap/, 'gaps are offered first');
  await page.locator('#field-add-function_id').selectOption('comm-06');
  await page.locator('#field-add-what').fill('Agree who follows up referrals');
  await page.locator('#field-add-cost').fill('1,500');
  await page.locator('#field-add-due').fill('2027-03-31');
  await page.locator('button', { hasText: 'Add the action' }).click();
  await page.locator('.plan th', { hasText: 'Agree who follows up referrals' }).waitFor();
  assert.match(await page.locator('.plan tfoot').textContent(), /£1,500/);
  assert.match(await page.locator('.plan tbody tr').first().textContent(), /31 March 2027.*Planned/);
  await assertAccessible(page, assert, 'the implementation plan');
});

test('the map prints on A4 landscape without its controls', async () => {
  await page.goto(mapUrl, { waitUntil: 'networkidle' });
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#organisations-heading').isHidden(), true, 'editing controls are not printed');
  assert.equal(await page.locator('.matrix-tools').isHidden(), true);
  assert.equal(await page.locator('#summary-heading').isVisible(), true);
  assert.equal(await page.locator('table.matrix').isVisible(), true);
  const pdf = await page.pdf({ format: 'A4', landscape: true, preferCSSPageSize: true });
  assert.ok(pdf.length > 10_000, `a real PDF (${pdf.length} bytes)`);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await page.emulateMedia({ media: 'screen' });
});

test('the map is copied, changed and compared with its baseline', async () => {
  await page.goto(mapUrl, { waitUntil: 'networkidle' });
  await page.locator('summary', { hasText: 'copy as a new map' }).click();
  await page.locator('#field-copy-date').fill('2027-04-01');
  await page.locator('button', { hasText: 'Copy as a new map' }).click();
  await page.waitForURL((url) => /\/maps\/[0-9a-f-]+$/.test(url.pathname) && url.href !== mapUrl);
  await page.locator('h1', { hasText: '1 April 2027' }).waitFor();
  assert.match(await cell(1, 1).textContent(), /Partly.*Note: Tuesdays only/, 'the copy keeps the cells and notes');
  assert.match(await cell(2, 2).textContent(), /Fully/);

  // comm-04 is a gap in the baseline; provide it fully in the new map.
  await cell(3, 0).focus();
  await press('Space');
  await press('Space');

  await page.locator('a', { hasText: 'Compare with another map' }).click();
  await page.locator('button', { hasText: 'Compare' }).click();
  await page.locator('h1', { hasText: 'Review' }).waitFor();
  await page.locator('.summary__counts', { hasText: 'Functions gained: 1' }).waitFor();
  assert.match(await page.locator('.review tbody').textContent(), /comm-04.*Gained/);
  await assertAccessible(page, assert, 'the review');
  assert.deepEqual(problems, [], 'no script errors');
});

test('removing an organisation asks once more, and focus follows the question', async () => {
  await page.goto(mapUrl, { waitUntil: 'networkidle' });
  const focusedText = () => page.evaluate(() => document.activeElement.textContent.trim());
  const row = page.locator('tr', { hasText: 'Riverside GP Practice' }).filter({ has: page.locator('button', { hasText: 'Remove…' }) });
  const focusOn = (text) => page.waitForFunction((text) => document.activeElement.textContent.trim() === text, text, { timeout: 5_000 });
  await row.locator('button', { hasText: 'Remove…' }).focus();
  await page.keyboard.press('Enter');
  await focusOn('Remove Riverside GP Practice').catch(() => {});
  assert.equal(await focusedText(), 'Remove Riverside GP Practice', 'focus moves to the button that removes');
  await page.keyboard.press('Tab');
  assert.equal(await focusedText(), 'Keep');
  await page.keyboard.press('Enter');
  await focusOn('Remove…').catch(() => {});
  assert.equal(await focusedText(), 'Remove…', 'kept: focus returns to where it was');
  assert.deepEqual(problems, [], 'no script errors');
});
