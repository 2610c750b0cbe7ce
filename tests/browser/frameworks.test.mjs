// The home page and the framework browser in headless Chromium, including hydration: the
// filter narrows the list as you type only once the WebAssembly has taken over the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, chromiumOptions } from './server.mjs';

let server;
let browser;
let page;
const problems = [];

before(async () => {
  server = await startServer();
  browser = await chromium.launch(chromiumOptions);
  page = await browser.newPage();
  // Script errors and Content Security Policy violations both surface here.
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const functionCount = () => page.locator('li.function').count();

async function waitForFunctionCount(expected) {
  await page.waitForFunction((n) => document.querySelectorAll('li.function').length === n, expected, {
    timeout: 10_000,
  });
}

test('the home page tells each user where to start', async () => {
  const response = await page.goto(server.url, { waitUntil: 'networkidle' });
  assert.equal(response.status(), 200);
  assert.equal(await page.title(), 'caremap');
  const audiences = await page.locator('.audience h2').allTextContents();
  assert.deepEqual(audiences, ['Commissioners', 'Employers', 'Training leads']);
  assert.deepEqual(await page.locator('header nav a').allTextContents(), ['Home', 'Functions', 'Workspaces']);
});

test('the coordinating-care framework lists its 39 functions in 5 categories', async () => {
  await page.goto(`${server.url}/frameworks/coordinating-care`, { waitUntil: 'networkidle' });
  assert.equal(await functionCount(), 39);
  assert.deepEqual(
    (await page.locator('section.category h2').allTextContents()).map((t) => t.replace(/\s*\(\d+\)$/, '')),
    [
      'Communication',
      'Activities that support people',
      'Information management',
      'Business management activities',
      'Local knowledge exchange activities',
    ],
  );
  assert.match(await page.locator('#function-count').textContent(), /Showing all 39 functions/);
});

test('typing in the filter narrows the list, and clearing it restores the list', async () => {
  const filter = page.locator('#function-filter');
  await filter.click();
  await filter.pressSequentially('referrals', { delay: 20 });
  await waitForFunctionCount(2);
  assert.match(await page.locator('#function-count').textContent(), /Showing 2 of 39 functions/);
  assert.deepEqual(await page.locator('li.function').evaluateAll((items) => items.map((i) => i.dataset.functionId)), [
    'comm-06',
    'info-02',
  ]);

  await filter.fill('');
  await filter.pressSequentially('xyzzy');
  await waitForFunctionCount(0);
  assert.match(await page.locator('.empty').textContent(), /No function matches “xyzzy”/);
  // The empty state's button clears the filter from the keyboard.
  await page.locator('.empty button').focus();
  await page.keyboard.press('Enter');
  await waitForFunctionCount(39);
  assert.equal(await filter.inputValue(), '');
});

test('the core functions list their 7 functions after client-side navigation', async () => {
  await page.locator('header nav a', { hasText: 'Functions' }).click();
  await page.waitForURL(`${server.url}/frameworks`);
  await page.locator('a', { hasText: 'Core functions for all workers' }).click();
  await page.waitForURL(`${server.url}/frameworks/core-functions`);
  await waitForFunctionCount(7);
  const labels = await page.locator('.function__label').allTextContents();
  assert.ok(labels.some((label) => label.includes('Safeguarding')));
  if (process.env.SCREENSHOT_DIR) {
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/core-functions.png`, fullPage: true });
  }
});

test('the pages ran without script errors or security policy violations', () => {
  assert.deepEqual(problems, []);
});
