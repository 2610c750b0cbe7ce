// Benchmark: server render time and size of an organisation map page with 100 organisations
// × 46 functions (the coordinating-care and core functions), about half the cells set, and the
// time until the page, hydrated in Chromium, answers the keyboard.
// Run with `make bench` (after `make build`). Prints one line of figures per measure.
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { startServer, chromiumOptions } from '../browser/server.mjs';
import { seedBigMap } from './big-map.mjs';

// Playwright comes from the browser tests' packages (`make browser-tools`).
const { chromium } = createRequire(new URL('../browser/package.json', import.meta.url))('playwright-core');

const ORGANISATIONS = 100;
const RUNS = 40;
const server = await startServer();

try {
  const { cookie, path, functions, cells, seedSeconds } = await seedBigMap(server, ORGANISATIONS);
  const times = [];
  let body = '';
  for (let i = 0; i < RUNS + 3; i++) {
    const start = performance.now();
    const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
    body = await response.text();
    if (response.status !== 200) throw new Error(`map page: ${response.status}`);
    if (i >= 3) times.push(performance.now() - start); // the first few warm caches up
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  const gzip = gzipSync(Buffer.from(body), { level: 6 }).length;
  const cellCount = (body.match(/role="gridcell"/g) ?? []).length;
  console.log(`map ${ORGANISATIONS} organisations x ${functions} functions = ${cellCount} cells (${cells} set; seeded through the API in ${seedSeconds.toFixed(1)} s)`);
  console.log(`server render, whole page over loopback, ${RUNS} runs: median ${at(0.5)} ms, p90 ${at(0.9)} ms, min ${times[0].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
  console.log(`page size: ${body.length} bytes of HTML, ${gzip} bytes gzip -6`);

  // In Chromium: from navigation until the matrix answers the keyboard (hydrated).
  const browser = await chromium.launch(chromiumOptions);
  const [name, value] = cookie.split(/=(.*)/s);
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  const interactive = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await page.goto(`${server.url}${path}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => {
      const first = document.getElementById('cell-0-0');
      if (!first) return false;
      first.focus();
      first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      return document.activeElement?.id === 'cell-0-1';
    }, null, { polling: 20, timeout: 60_000 });
    interactive.push(performance.now() - start);
  }
  await browser.close();
  interactive.sort((a, b) => a - b);
  console.log(`in Chromium, navigation to a keyboard-ready matrix, 5 loads: median ${interactive[2].toFixed(0)} ms, min ${interactive[0].toFixed(0)} ms, max ${interactive[4].toFixed(0)} ms`);
} finally {
  await server.stop();
}
