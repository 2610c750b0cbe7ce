// What each page costs to load: the browser fetches the shared core of the program plus the part
// for the area of the page opened (`cargo leptos build --split`), never the whole program.
// Bytes compressed with brotli, as the server sends them (the build's `.br` files). The limits
// hold what splitting gave: the home, sign-in and framework pages at most 300 KB, any page at
// most 600 KB, each less than the single program it replaced (866 KB). Smaller targets (150 KB
// and 300 KB) need the program's own code smaller.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, chromiumOptions, watch, setUpWorkspace, openSample, startAnalyses, samplePages } from './server.mjs';

const KB = 1000;
const START_BUDGET = 300 * KB;
const PAGE_BUDGET = 600 * KB;
// The whole program as one file before it was split (commit d0ad9d0), brotli at quality 11.
const SINGLE_PROGRAM = 866_258;
const pkg = resolve(import.meta.dirname, '../../target/site/pkg');
const brotliBytes = (file) => statSync(join(pkg, `${file}.br`)).size;

let server;
let browser;
let cookies;
let pages;
const problems = [];

before(async () => {
  server = await startServer();
  browser = await chromium.launch(chromiumOptions);
  const page = watch(await browser.newPage(), problems);
  await setUpWorkspace(page, server.url, { email: 'wes@example.org', name: 'Wes Weight', workspace: 'Home', password: 'correct horse battery staple' });
  const workspaceUrl = await openSample(page, server.url);
  const mapUrl = page.url();
  await startAnalyses(page, workspaceUrl, 'North', ['Asha Patel']);
  pages = {
    home: `${server.url}/`,
    'sign-in': `${server.url}/sign-in`,
    functions: `${server.url}/frameworks`,
    'a framework': `${server.url}/frameworks/coordinating-care`,
    ...(await samplePages(page, workspaceUrl, mapUrl)),
  };
  cookies = await page.context().cookies();
  await page.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Opens `url` in a new browser (nothing cached) and answers the program files it fetched, once
// the page answers input.
async function programFilesFetched(url) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = watch(await context.newPage(), problems);
  const files = new Set();
  page.on('response', (response) => {
    const name = new URL(response.url()).pathname;
    if (name.startsWith('/pkg/') && name.endsWith('.wasm')) files.add(name.slice('/pkg/'.length));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  await context.close();
  return [...files];
}

test('each page fetches the shared core and its own part of the program, within budget', async () => {
  const over = [];
  const sizes = {};
  for (const [name, url] of Object.entries(pages)) {
    const files = await programFilesFetched(url);
    const bytes = files.reduce((sum, file) => sum + brotliBytes(file), 0);
    sizes[name] = bytes;
    const budget = ['home', 'sign-in', 'functions', 'a framework'].includes(name) ? START_BUDGET : PAGE_BUDGET;
    if (bytes > budget) over.push(`${name}: ${bytes} bytes over ${budget} (${files.join(', ')})`);
    assert.ok(files.length >= 2, `${name} loads the core and its own part: ${files.join(', ')}`);
  }
  console.log('program bytes (brotli) at first load:', sizes);
  assert.deepEqual(over, [], 'pages over their budget');
  assert.ok(Math.max(...Object.values(sizes)) < SINGLE_PROGRAM, 'every page fetches less than the whole program');
  assert.deepEqual(problems, [], 'no script errors');
});
