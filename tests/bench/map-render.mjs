// Benchmark: server render time and size of an organisation map page with 100 organisations
// × 46 functions (the coordinating-care and core functions), about half the cells set, and the
// time until the page, hydrated in Chromium, answers the keyboard.
// Run with `make bench` (after `make build`). Prints one line of figures per measure.
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { startServer, chromiumOptions } from '../browser/server.mjs';

// Playwright comes from the browser tests' packages (`make browser-tools`).
const { chromium } = createRequire(new URL('../browser/package.json', import.meta.url))('playwright-core');

const ORGANISATIONS = 100;
const RUNS = 40;
const server = await startServer();
let cookie = '';

async function call(name, form) {
  const response = await fetch(`${server.url}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, accept: 'application/json' },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });
  const setCookie = response.headers.get('set-cookie');
  if (setCookie) cookie = setCookie.split(';')[0];
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${name}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

try {
  await call('create_first_admin', { email: 'bench@example.org', name: 'Bench', password: 'correct horse battery staple' });
  await call('create_workspace', { name: 'Benchmark' });
  const workspace = (await call('my_workspaces', {}))[0].id;
  await call('create_org_map', { workspace_id: workspace, area: 'Benchmark', date: '2026-04-01', threshold: '3', frameworks: 'coordinating-care core-functions' });
  const map = (await call('list_org_maps', { workspace_id: workspace })).maps[0].id;
  const organisations = [];
  for (let i = 0; i < ORGANISATIONS; i++) {
    organisations.push(await call('add_organisation', { workspace_id: workspace, map_id: map, name: `Organisation ${i + 1}`, sector: 'voluntary', locality: 'Benchmark', website: '', contact: '' }));
  }
  const functions = (await call('get_org_map', { workspace_id: workspace, map_id: map })).map.categories.flatMap((c) => c.functions.map((f) => f.id));
  const levels = ['none', 'partly', 'fully'];
  const seeding = performance.now();
  let cells = 0;
  for (const [o, organisation] of organisations.entries()) {
    for (const [f, fn] of functions.entries()) {
      const level = levels[(o * 7 + f * 3) % 5 === 0 ? 2 : (o + f) % 4 === 0 ? 1 : 0];
      if (level === 'none') continue;
      await call('set_cell', { workspace_id: workspace, map_id: map, organisation_id: organisation, function_id: fn, version: '0', level, note: f % 10 === 0 ? 'Weekdays only' : '' });
      cells++;
    }
  }
  const seedSeconds = (performance.now() - seeding) / 1000;
  const path = `/workspaces/${workspace}/maps/${map}`;
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
  console.log(`map ${ORGANISATIONS} organisations x ${functions.length} functions = ${cellCount} cells (${cells} set; seeded through the API in ${seedSeconds.toFixed(1)} s)`);
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
