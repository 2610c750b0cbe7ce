// The three grids on the screens people use, on the sample workspace (46 functions × 7
// organisations): driven by keyboard only on a phone (390 × 844) and at 200 % zoom, nothing
// scrolling sideways at 320 px (400 %), a click made before the page's script is ready kept,
// and the map printed as a report of at most two A4 pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, chromiumOptions, watch, setUpWorkspace, openSample, startAnalyses, samplePages, assertAccessible, accessibilityProblems, printed } from './server.mjs';

const PASSWORD = 'correct horse battery staple';
let server;
let browser;
let workspaceUrl;
let mapUrl;
let cookies;
const problems = [];

// The screens: a phone, and a 1366 × 768 laptop zoomed to 200 % (the same CSS pixels, each
// drawn twice as large).
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const ZOOMED = { viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 };

before(async () => {
  server = await startServer();
  browser = await chromium.launch(chromiumOptions);
  const page = watch(await browser.newPage(), problems);
  await setUpWorkspace(page, server.url, { email: 'sam@example.org', name: 'Sam Commissioner', workspace: 'Home', password: PASSWORD });
  workspaceUrl = await openSample(page, server.url);
  mapUrl = page.url();
  // Two people in one team, for the team grid.
  await startAnalyses(page, workspaceUrl, 'North', ['Asha Patel', 'Ben Hughes']);
  cookies = await page.context().cookies();
  await page.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(screen, url) {
  const context = await browser.newContext(screen);
  await context.addCookies(cookies);
  const page = watch(await context.newPage(), problems);
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('table[role="grid"][data-ready="true"]').waitFor({ state: 'attached' });
  return page;
}

const focusedId = (page) => page.evaluate(() => document.activeElement.id);
const sidewaysScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

// Tabs from the top of the page to "Skip to the matrix" and follows it: the grid's cell has focus.
async function skipToMatrix(page) {
  await page.keyboard.press('Tab');
  for (let tabs = 1; (await page.evaluate(() => document.activeElement.textContent.trim())) !== 'Skip to the matrix'; tabs += 1) {
    assert.ok(tabs < 15, 'the link to the matrix comes early');
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  assert.equal(await focusedId(page), 'cell-0-0');
}

// Waits for a cell's save to be answered and shown.
async function saving(page, endpoint, action) {
  await Promise.all([page.waitForResponse((r) => r.url().endsWith(endpoint)), action()]);
  await page.locator('.matrix-status:not([data-saving="true"])', { hasText: /Saved|Someone/ }).waitFor();
}

for (const [name, screen] of [['a phone, 390 × 844', PHONE], ['200 % zoom', ZOOMED]]) {
  test(`the organisation map is a list of functions on ${name}, used by keyboard only`, async () => {
    const page = await open(screen, mapUrl);
    assert.ok((await sidewaysScroll(page)) <= 0, 'nothing scrolls sideways');
    assert.ok((await page.locator('table.matrix thead').boundingBox()).height <= 1, 'no header row: each cell names its organisation');
    await skipToMatrix(page);
    const cell = page.locator('#cell-0-0');
    assert.match(await cell.locator('.cell__column').textContent(), /\w/, 'the cell names its organisation');
    const box = await cell.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= screen.viewport.width, 'the cell is on the screen, whole');

    // The choices, as a list of radio-like buttons under the cell.
    await page.keyboard.press('Enter');
    await cell.locator('.chooser').waitFor();
    const before = await cell.locator('.cell__label').textContent();
    const choice = before === 'Partly' ? 'Fully provided' : 'Partly provided';
    while (!(await page.evaluate(() => document.activeElement.textContent)).endsWith(choice)) await page.keyboard.press('ArrowDown');
    await saving(page, '/api/set_cell', () => page.keyboard.press('Enter'));
    assert.equal(await focusedId(page), 'cell-0-0');
    assert.match(await cell.textContent(), new RegExp(choice.split(' ')[0]));
    await saving(page, '/api/set_cell', () => page.keyboard.press('Control+z'));
    assert.equal(await cell.locator('.cell__label').textContent(), before, 'undone');

    // A note, from the keyboard; the cell says it has one.
    await page.keyboard.press('F2');
    assert.equal(await focusedId(page), 'cell-note');
    assert.ok(await page.locator('#cell-note').isVisible());
    const save = await page.locator('.cell-panel button', { hasText: 'Save the note' }).boundingBox();
    assert.ok(save.y >= 0 && save.y + save.height <= screen.viewport.height, 'the note and its Save button are both on the screen');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(`Checked on ${name}`);
    await saving(page, '/api/set_cell', () => page.keyboard.press('Control+Enter'));
    assert.equal(await focusedId(page), 'cell-0-0');
    assert.match(await cell.textContent(), new RegExp(`Note: Checked on ${name.replace(/[()%×]/g, '.')}`));
    assert.deepEqual(await accessibilityProblems(page), [], `the map on ${name}`);
    await page.context().close();
  });

  test(`the team grid is used by keyboard only on ${name}`, async () => {
    const page = await open(screen, `${workspaceUrl}/team-needs?team=North`);
    assert.ok((await sidewaysScroll(page)) <= 0, 'nothing scrolls sideways');
    await page.locator('#need-0-0').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedId(page), 'need-0-1');
    await saving(page, '/api/set_need', () => page.keyboard.press('h'));
    await page.locator('#need-0-1 .need-cell__priority', { hasText: 'High' }).waitFor();
    await saving(page, '/api/set_need', () => page.keyboard.press('Control+z'));
    await page.locator('#need-0-1 .need-cell__priority', { hasText: /None|not assessed/ }).waitFor();
    assert.equal(await focusedId(page), 'need-0-1', 'undone, and the cell keeps focus');
    assert.deepEqual(await accessibilityProblems(page), [], `the team grid on ${name}`);
    await page.context().close();
  });
}

test('at 320 px (400 % zoom) no page of the sample workspace scrolls sideways', async () => {
  const page = await open({ viewport: { width: 320, height: 640 } }, mapUrl);
  const wide = [];
  for (const url of Object.values(await samplePages(page, workspaceUrl, mapUrl))) {
    await page.goto(url, { waitUntil: 'networkidle' });
    const sideways = await sidewaysScroll(page);
    if (sideways > 0) wide.push(`${url} by ${sideways} px`);
  }
  assert.deepEqual(wide, [], 'pages that scroll sideways');
  await page.context().close();
});

test('a click on a cell before the page\'s script is ready is kept: the cell opens once it is', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addCookies(cookies);
  const page = watch(await context.newPage(), problems);
  // A slow connection: the WebAssembly arrives three seconds late.
  await page.route('**/*.wasm', async (route) => {
    await new Promise((done) => setTimeout(done, 3_000));
    await route.continue();
  });
  await page.goto(mapUrl, { waitUntil: 'domcontentloaded' });
  assert.equal(await page.locator('table.matrix').getAttribute('data-ready'), 'false');
  const waiting = page.locator('.grid-waiting');
  assert.equal(await waiting.isVisible(), true, 'the grid says it is not yet active');
  await page.locator('#cell-2-3').click();
  assert.match(await waiting.textContent(), /the cell you chose opens in a moment/);
  await page.locator('#cell-2-3 .chooser').waitFor({ timeout: 20_000 });
  assert.equal(await waiting.isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.closest('td')?.id), 'cell-2-3', 'focus is in the chosen cell');
  await saving(page, '/api/set_cell', () => page.keyboard.press('n'));
  await page.reload({ waitUntil: 'networkidle' });
  assert.match(await page.locator('#cell-2-3').textContent(), /No/, 'the change was saved');
  await context.close();
});

test('the sample map prints as a report: at most two A4 pages of 25 rows or more, heading with its grid', async () => {
  const page = await open({ viewport: { width: 1366, height: 768 } }, mapUrl);
  await page.emulateMedia({ media: 'print' });
  const { pages, pageTexts, flow } = await printed(page);
  const ids = pageTexts.map((text) => text.match(/\b[a-z]+-\d{2}\b/g) ?? []);
  assert.equal(ids.flat().length, 46, 'every function is printed once');
  assert.ok(pages <= 2, `${pages} pages`);
  for (const [index, found] of ids.slice(0, -1).entries()) assert.ok(found.length >= 25, `page ${index + 1} holds ${found.length} rows`);
  assert.match(pageTexts[0], /Matrix: which organisation provides which function/);
  assert.ok(ids[0].length > 0, 'the grid starts on the page of its heading');
  for (const [index, text] of pageTexts.entries()) assert.match(text, new RegExp(`Page ${index + 1} of ${pages}`));
  assert.match(pageTexts[0], /Printed on \d+ \w+ \d{4}/);
  assert.doesNotMatch(pageTexts.join('\n'), /Sam Commissioner|Sign out/, 'no signed-in name');
  for (const name of ['Northshire Adult Social Care team', 'Northshire General Hospital discharge team', 'Homeward Housing Support']) {
    assert.ok(flow.includes(name), `${name} printed in full`);
  }
  assert.doesNotMatch(flow, /…/, 'nothing cut short');
  await page.context().close();
  assert.deepEqual(problems, [], 'no script errors');
});

test('the team grid prints as a report too: every function, the people in full, printed on, no controls', async () => {
  const page = await open({ viewport: { width: 1366, height: 768 } }, `${workspaceUrl}/team-needs?team=North`);
  await page.emulateMedia({ media: 'print' });
  const { pageTexts, flow } = await printed(page);
  const functions = pageTexts.join('\n').match(/\b[a-z]+-\d{2}\b/g) ?? [];
  assert.equal(new Set(functions).size, functions.length, 'each function printed once');
  assert.ok(functions.length > 0);
  for (const name of ['Asha Patel', 'Ben Hughes']) assert.ok(flow.includes(name), `${name} printed`);
  assert.match(pageTexts[0], /Printed on \d+ \w+ \d{4}/);
  for (const [index, text] of pageTexts.entries()) assert.match(text, new RegExp(`Page ${index + 1} of ${pageTexts.length}`));
  assert.doesNotMatch(flow, /Sam Commissioner|Sign out|Print\b|Type a priority/, 'no signed-in name, buttons or keyboard help');
  await page.context().close();
});

test('the sample map passes axe-core at both widths', async () => {
  const page = await open({ viewport: { width: 1366, height: 768 } }, mapUrl);
  await assertAccessible(page, assert, 'the sample map');
  await page.context().close();
});
