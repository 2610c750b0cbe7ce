// The organisation map in headless Chromium: a map, three organisations, cells set with the
// keyboard only, gaps appearing and disappearing, a stale edit refused, a plan action, a copy
// of the map and the review comparing the two.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, chromiumOptions, watch, setUpWorkspace, assertAccessible, printed } from './server.mjs';

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

test('a map opens on its grid; three organisations added on its own tab become its columns', async () => {
  await page.locator('a', { hasText: 'Organisation maps' }).click();
  await page.locator('h1', { hasText: 'Organisation maps' }).waitFor();
  await page.locator('#field-area').fill('Riverside');
  assert.match(await page.locator('#field-date').inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'the date defaults to today');
  await page.locator('button', { hasText: 'Create the map' }).click();
  await page.waitForURL(/\/maps\/[0-9a-f-]+$/);
  mapUrl = page.url();
  await page.locator('.summary__overall', { hasText: '0 of 46 functions' }).waitFor();
  await page.locator('table.matrix[data-ready="true"]').waitFor({ state: 'attached' });
  await assertAccessible(page, assert, 'a new map with no organisations');
  assert.equal(await status(0).textContent(), 'Gap: nobody provides it');
  assert.equal(await page.locator('#field-add-name').count(), 0, 'the matrix page holds no admin forms');

  await page.locator('.empty a', { hasText: 'Add organisations' }).click();
  await page.waitForURL(/\/organisations$/);
  for (const [name, sector] of [['Adult Social Care', 'statutory'], ['Age UK Riverside', 'voluntary'], ['Riverside GP Practice', 'independent']]) {
    await page.locator('#field-add-name').fill(name);
    await page.locator('#field-add-sector').selectOption(sector);
    await page.locator('#field-add-locality').fill('Riverside');
    await page.locator('button', { hasText: 'Add the organisation' }).click();
    await page.locator('.table th', { hasText: name }).waitFor();
  }
  await page.locator('#organisations-heading', { hasText: 'Organisations (3)' }).waitFor();
  await assertAccessible(page, assert, 'the organisations tab');
  await page.locator('.tabs a', { hasText: 'Matrix' }).click();
  await page.waitForURL(mapUrl);
  await page.locator('thead .matrix__column', { hasText: 'Riverside GP Practice' }).waitFor();
  assert.equal(await page.locator('thead .matrix__column').count(), 3);
  await assertAccessible(page, assert, 'the map with three organisations');
});

const at = () => page.evaluate(() => document.activeElement.id);

test('cells are chosen with the keyboard only: a state\'s key, the choices, Delete, undo and a note', async () => {
  await page.locator('table.matrix[data-ready="true"]').waitFor({ state: 'attached' });
  await cell(0, 0).focus();
  await press('p');
  assert.equal(await status(0).textContent(), 'Gap: only partly provided');
  assert.match(await cell(0, 0).textContent(), /Partly/);
  await press('f');
  assert.equal(await status(0).textContent(), 'One provider only', 'Fully straight from Partly, and the gap has gone');
  assert.match(await page.locator('tr[data-function-id="comm-01"]').getAttribute('class'), /tone--fragile/, 'one provider in an area is a warning');
  await page.locator('.summary__overall', { hasText: '1 of 46 functions' }).waitFor();

  // Enter opens the choices at the cell, on the state it holds; arrows move, Enter chooses.
  await page.keyboard.press('ArrowRight');
  assert.equal(await at(), 'cell-0-1');
  await page.keyboard.press('Enter');
  const chooser = cell(0, 1).locator('.chooser');
  await chooser.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'NNot provided');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await press('Enter');
  assert.equal(await at(), 'cell-0-1', 'focus returns to the cell');
  assert.equal(await chooser.count(), 0, 'the choices close');
  assert.equal(await status(0).textContent(), 'Covered');
  // Escape closes the choices and changes nothing.
  await page.keyboard.press('Enter');
  await chooser.waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await at(), 'cell-0-1');
  assert.equal(await chooser.count(), 0);

  // Undo, from the keyboard and from the link: each a versioned save.
  await press('Control+z');
  assert.match(await cell(0, 1).textContent(), /No/);
  assert.equal(await status(0).textContent(), 'One provider only');
  await page.keyboard.press('ArrowLeft');
  await press('Delete');
  assert.equal(await status(0).textContent(), 'Gap: nobody provides it', 'Delete clears the cell');
  const undo = page.locator('.matrix-status-line button', { hasText: 'Undo' });
  assert.match(await undo.textContent(), /Undo: Adult Social Care, .* back to “fully provided”/);
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/set_cell')), undo.click()]);
  await page.locator('.matrix-status[data-saving="false"]').waitFor({ state: 'attached' });
  assert.equal(await status(0).textContent(), 'One provider only', 'undone');
  await cell(0, 0).focus();
  await press('Delete');
  await page.keyboard.press('ArrowRight');

  // A note, beside the grid: F2 goes to it, Ctrl+Enter saves it; the grid does not move.
  const gridTop = async () => (await page.locator('table.matrix').boundingBox()).y;
  const before = await gridTop();
  await page.keyboard.press('ArrowDown');
  assert.equal(await at(), 'cell-1-1');
  await press('p');
  await page.keyboard.press('F2');
  assert.equal(await at(), 'cell-note');
  await page.keyboard.type('Tuesdays only');
  await press('Control+Enter');
  assert.equal(await at(), 'cell-1-1', 'focus returns to the cell');
  assert.equal(await gridTop(), before, 'the grid stays where it was');
  assert.match(await cell(1, 1).textContent(), /note/, 'the cell shows it has a note');
  assert.equal(await page.locator('#cell-note').inputValue(), 'Tuesdays only', 'the selected cell\'s note shows beside the grid');

  // Everything was stored: a fresh load shows it.
  await page.reload({ waitUntil: 'networkidle' });
  assert.match(await cell(1, 1).textContent(), /Partly.*Note: Tuesdays only/);
  assert.equal(await cell(0, 0).getAttribute('class'), 'cell cell--none');
  assert.equal(await status(0).textContent(), 'Gap: nobody provides it');
  assert.equal(await status(1).textContent(), 'Gap: only partly provided');

  // The summary's counts show their rows: a provided function's row hides, a gap's row stays.
  await page.locator('table.matrix[data-ready="true"]').waitFor({ state: 'attached' });
  await cell(4, 0).focus();
  await press('f');
  await page.locator('.summary__counts a', { hasText: /^Gap: nobody provides it: \d+$/ }).click();
  await page.waitForURL(/\?show=gap/);
  await page.locator('tr:has(#cell-4-0)').waitFor({ state: 'hidden' });
  assert.equal(await page.locator('tr:has(#cell-2-0)').isVisible(), true);
  assert.equal(await page.locator('tr:has(#cell-1-0)').isHidden(), true, 'only partly provided is another status');
  await page.locator('.matrix-filter a', { hasText: 'Show all functions' }).click();
  await page.locator('tr:has(#cell-4-0)').waitFor();
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
  while ((await focused()).text !== 'Skip to the matrix') {
    assert.ok(tabs < 10, 'the link to the matrix comes early in the page');
    await tab();
  }
  await page.keyboard.press('Enter');
  assert.match((await focused()).id, /^cell-\d+-\d+$/, 'focus is on the grid\'s cell');
  assert.ok(tabs <= 2, `${tabs} Tab presses from the top of the page to a cell`);
});

test('Page Up and Page Down move ten rows, Ctrl+Home and Ctrl+End go to the corners', async () => {
  await page.locator('table.matrix[data-ready="true"]').waitFor({ state: 'attached' });
  await cell(0, 0).focus();
  await page.keyboard.press('PageDown');
  assert.equal(await at(), 'cell-10-0');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('PageUp');
  assert.equal(await at(), 'cell-0-1');
  await page.keyboard.press('Control+End');
  assert.equal(await at(), 'cell-45-2', 'the last function, the last organisation');
  await page.keyboard.press('Control+Home');
  assert.equal(await at(), 'cell-0-0');
  await page.setViewportSize({ width: 1366, height: 500 });
  for (const key of ['PageDown', 'PageDown', 'Control+End', 'PageUp', 'Control+Home']) {
    await page.keyboard.press(key);
    assert.equal(await focusedCellInView(page), true, `after ${key} the cell shows whole`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
});

// Whether the focused cell shows whole inside the grid's box, clear of its sticky header row
// and columns (WCAG 2.4.11).
async function focusedCellInView(on) {
  return on.evaluate(() => {
    const cell = document.activeElement.getBoundingClientRect();
    const box = document.activeElement.closest('.matrix-scroll').getBoundingClientRect();
    const head = document.querySelector('table.matrix thead').getBoundingClientRect();
    const sticky = document.querySelector('table.matrix .matrix__status-head').getBoundingClientRect();
    const clear = { top: Math.max(box.top, head.bottom), left: Math.max(box.left, sticky.right) };
    const whole = cell.top >= clear.top - 1 && cell.left >= clear.left - 1 && cell.bottom <= box.bottom + 1 && cell.right <= box.right + 1;
    return whole || JSON.stringify({ cell, box, clear });
  });
}

test('an edit made on a stale view is refused with the current value, and so is an undo', async () => {
  const other = watch(await page.context().newPage(), problems);
  await other.goto(mapUrl, { waitUntil: 'networkidle' });
  await other.locator('table.matrix[data-ready="true"]').waitFor({ state: 'attached' });
  await other.locator('#cell-2-2').focus();
  await press('p', other);

  await cell(2, 2).focus();
  await page.keyboard.press('f');
  const alert = page.locator('[role="alert"]', { hasText: 'Someone else changed this cell' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /it is now Partly provided/);
  assert.match(await cell(2, 2).textContent(), /Partly/, 'the cell shows the current value');
  await press('f');
  assert.match(await cell(2, 2).textContent(), /Fully/, 'the next edit builds on the current value');

  // The other person's undo would overwrite this change: it is refused, not applied.
  await other.locator('#cell-2-2').focus();
  await other.keyboard.press('Control+z');
  await other.locator('[role="alert"]', { hasText: 'Someone else changed this cell' }).waitFor();
  await other.close();
  await page.reload({ waitUntil: 'networkidle' });
  assert.match(await cell(2, 2).textContent(), /Fully/, 'the stale undo changed nothing');
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

test('the map prints as a report: its heading with the grid, notes as footnotes, no controls and no one\'s name', async () => {
  await page.goto(mapUrl, { waitUntil: 'networkidle' });
  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['.tabs', '.matrix-help', '.cell-panel', '.user-menu', '.page-links']) {
    assert.equal(await page.locator(hidden).first().isHidden(), true, `${hidden} is not printed`);
  }
  assert.equal(await page.locator('table.matrix').isVisible(), true);
  assert.match(await page.locator('.printed-on').textContent(), /^Printed on \d+ \w+ \d{4}$/);
  assert.match(await page.locator('.printed-notes li').first().textContent(), /Age UK Riverside, .*: Tuesdays only/);
  assert.equal(await page.locator('#cell-1-1 sup').textContent(), '1', 'the cell carries its footnote\'s number');
  const { pages, text } = await printed(page);
  assert.ok(pages <= 2, `46 functions print on ${pages} pages`);
  assert.match(text, /Page 1 of \d/, 'every page says which it is');
  assert.doesNotMatch(text, /Ann Commissioner/, 'no signed-in name');
  await page.emulateMedia({ media: 'screen' });
});

test('the map is copied, changed and compared with its baseline', async () => {
  await page.goto(`${mapUrl}/organisations`, { waitUntil: 'networkidle' });
  await page.locator('summary', { hasText: 'copy as a new map' }).click();
  await page.locator('#field-copy-date').fill('2027-04-01');
  await page.locator('button', { hasText: 'Copy as a new map' }).click();
  await page.waitForURL((url) => /\/maps\/[0-9a-f-]+$/.test(url.pathname) && url.href !== mapUrl);
  await page.locator('h1', { hasText: '1 April 2027' }).waitFor();
  assert.match(await cell(1, 1).textContent(), /Partly.*Note: Tuesdays only/, 'the copy keeps the cells and notes');
  assert.match(await cell(2, 2).textContent(), /Fully/);

  // comm-04 is a gap in the baseline; provide it fully in the new map.
  await page.locator('table.matrix[data-ready="true"]').waitFor({ state: 'attached' });
  await cell(3, 0).focus();
  await press('f');

  await page.locator('a', { hasText: 'Compare with another map' }).click();
  await page.locator('button', { hasText: 'Compare' }).click();
  await page.locator('h1', { hasText: 'Review' }).waitFor();
  await page.locator('.summary__counts', { hasText: 'Functions gained: 1' }).waitFor();
  assert.match(await page.locator('.review tbody').textContent(), /comm-04.*Gained/);
  await assertAccessible(page, assert, 'the review');
  assert.deepEqual(problems, [], 'no script errors');
});

test('removing an organisation asks once more, and focus follows the question', async () => {
  await page.goto(`${mapUrl}/organisations`, { waitUntil: 'networkidle' });
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
