// Benchmark: what each page costs a person on a slow connection and a slow laptop. For each
// page: the bytes of HTML, CSS, JavaScript and WebAssembly fetched on a first visit (nothing
// cached), raw and as gzip -9 and brotli 11 would send them; then, over a 1.6 Mbit/s link with
// 150 ms latency and the processor slowed 4× (Chromium DevTools throttling), the first paint
// and the time until the page answers input (hydrated; for the maps' grids, until a cell takes
// an arrow key). Includes an organisation map of 100 organisations × 46 functions.
// Run with `make bench` (after `make build`). Prints one table; medians of RUNS cold loads.
// BENCH_PEER=dir measures another build beside this one in the same run, loads alternating: dir
// holds that build's `caremap` binary, the `hash.txt` its build wrote, and its `site`.
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { createRequire } from 'node:module';
import { startServer, chromiumOptions, openSample, startAnalyses, samplePages } from '../browser/server.mjs';
import { seedBigMap } from './big-map.mjs';

const { chromium } = createRequire(new URL('../browser/package.json', import.meta.url))('playwright-core');

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// Only the pages whose names match, when set (a regular expression).
const ONLY = new RegExp(process.env.BENCH_ONLY ?? '');
const THROTTLE = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const CPU_SLOWDOWN = 4;
const KINDS = ['html', 'css', 'js', 'wasm'];

function kindOf(url, contentType) {
  if (contentType.includes('text/html')) return 'html';
  if (url.endsWith('.css')) return 'css';
  if (url.endsWith('.js')) return 'js';
  if (url.endsWith('.wasm')) return 'wasm';
  return null;
}

const sizes = (body) => ({
  raw: body.length,
  gzip: gzipSync(body, { level: 9 }).length,
  br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

// Loads `url` cold in a new browser context: answers the bytes per kind, unthrottled.
async function weigh(browser, cookies, url) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const bodies = [];
  page.on('response', (response) => bodies.push(
    (async () => ({ kind: kindOf(new URL(response.url()).pathname, response.headers()['content-type'] ?? ''), body: await response.body().catch(() => Buffer.alloc(0)) }))(),
  ));
  await page.goto(url, { waitUntil: 'networkidle' });
  const totals = Object.fromEntries(KINDS.map((kind) => [kind, { raw: 0, gzip: 0, br: 0 }]));
  for (const { kind, body } of await Promise.all(bodies)) {
    if (!kind) continue;
    const size = sizes(body);
    for (const key of ['raw', 'gzip', 'br']) totals[kind][key] += size[key];
  }
  await context.close();
  return totals;
}

// Loads `url` cold, throttled: answers the first paint and the time until it answers input, in ms
// from the start of navigation.
async function time(browser, cookies, url, grid) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const devtools = await context.newCDPSession(page);
  await devtools.send('Network.enable');
  await devtools.send('Network.emulateNetworkConditions', THROTTLE);
  await devtools.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  if (grid) {
    // A cell answers the arrow key once the grid's script is working.
    await page.waitForFunction(() => {
      const first = document.getElementById('cell-0-0');
      if (!first || document.querySelector('table[role="grid"]')?.dataset.ready !== 'true') return false;
      first.focus();
      first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      if (document.activeElement?.id !== 'cell-0-1') return false;
      performance.mark('answered');
      return true;
    }, null, { polling: 50, timeout: 120_000 });
  } else {
    await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0, null, { polling: 50, timeout: 120_000 });
  }
  const [paint, interactive] = await page.evaluate((mark) => [
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    performance.getEntriesByName(mark)[0]?.startTime ?? NaN,
  ], grid ? 'answered' : 'hydrated');
  await context.close();
  return { paint, interactive };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes) => (bytes / 1000).toFixed(1).padStart(7);

// A server of `build`, seeded.
async function prepare(browser, build) {
  const server = await startServer(build.dir && { binary: join(build.dir, 'caremap'), siteRoot: join(build.dir, 'site') });
  try {
    return { ...build, server, ...(await seed(browser, server)) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

// Seeds every server alike: the big map, the sample workspace and an analysis. Answers the session
// cookies and the pages by name.
async function seed(browser, server) {
  const big = await seedBigMap(server, 100);
  const [name, value] = big.cookie.split(/=(.*)/s);
  const cookies = [{ name, value, url: server.url }];
  const setup = await browser.newContext();
  await setup.addCookies(cookies);
  const page = await setup.newPage();
  const workspaceUrl = await openSample(page, server.url);
  const mapUrl = page.url();
  await startAnalyses(page, workspaceUrl, 'North', ['Asha Patel']);
  const pages = {
    home: `${server.url}/`,
    'sign-in': `${server.url}/sign-in`,
    functions: `${server.url}/frameworks`,
    'a framework': `${server.url}/frameworks/coordinating-care`,
    ...(await samplePages(page, workspaceUrl, mapUrl)),
    'map, 100 organisations': `${server.url}${big.path}`,
  };
  await setup.close();
  return { cookies, pages };
}

const browser = await chromium.launch(chromiumOptions);
const builds = [];
try {
  builds.push(await prepare(browser, { label: 'this build' }));
  if (process.env.BENCH_PEER) builds.push(await prepare(browser, { label: 'peer', dir: process.env.BENCH_PEER }));

  console.log(`First visit, nothing cached; bytes in KB (1000 bytes) raw / gzip -9 / brotli 11. Times: ${RUNS} cold loads over ${THROTTLE.downloadThroughput * 8 / 1e6} Mbit/s, ${THROTTLE.latency} ms latency, CPU ${CPU_SLOWDOWN}× slower; medians in ms.`);
  if (process.env.BENCH_PEER) console.log(`peer: ${process.env.BENCH_PEER}`);
  console.log(['page'.padEnd(24), ...(builds.length > 1 ? ['build'.padEnd(11)] : []), ...KINDS.map((kind) => `${kind} raw/gz/br`.padStart(27)), 'first paint'.padStart(12), 'interactive'.padStart(12)].join(''));
  for (const label of Object.keys(builds[0].pages).filter((label) => ONLY.test(label))) {
    const grid = label.startsWith('map');
    const totals = [];
    const runs = builds.map(() => []);
    for (const build of builds) totals.push(await weigh(browser, build.cookies, build.pages[label]));
    for (let i = 0; i < RUNS; i++) {
      for (const [b, build] of builds.entries()) runs[b].push(await time(browser, build.cookies, build.pages[label], grid));
    }
    for (const [b, build] of builds.entries()) {
      console.log([
        label.padEnd(24),
        ...(builds.length > 1 ? [build.label.padEnd(11)] : []),
        ...KINDS.map((kind) => `${kb(totals[b][kind].raw)}/${kb(totals[b][kind].gzip)}/${kb(totals[b][kind].br)}`.padStart(27)),
        (runs[b].length ? median(runs[b].map((run) => run.paint)).toFixed(0) : '-').padStart(12),
        (runs[b].length ? median(runs[b].map((run) => run.interactive)).toFixed(0) : '-').padStart(12),
      ].join(''));
    }
  }
} finally {
  await browser.close();
  for (const build of builds) await build.server.stop();
}
