// Starts the release `caremap` binary on a free port with a fresh SQLite database, as an
// administrator would run it, and stops it afterwards.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const releaseBinary = process.env.CAREMAP_BIN ?? join(root, 'target/release/caremap');

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
    probe.on('error', fail);
  });
}

// `binary` and `siteRoot` run another build (its binary, with the `hash.txt` the build wrote
// beside it, and its site); CAREMAP_BIN and LEPTOS_SITE_ROOT set them for every test.
export async function startServer({ binary = releaseBinary, siteRoot = process.env.LEPTOS_SITE_ROOT } = {}) {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`make build\` first`);
  const folder = mkdtempSync(join(tmpdir(), 'caremap-browser-'));
  const port = await freePort();
  const child = spawn(binary, [], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      CAREMAP_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${join(folder, 'caremap.db')}`,
      ...(siteRoot && { LEPTOS_SITE_ROOT: siteRoot }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`caremap exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('caremap did not answer within 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

// Debian's Chromium, never a downloaded browser; quiet flags keep it off the network.
export const chromiumOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

// Collects a page's script errors into `problems`. A refused request (a stale edit answers
// 409) is logged by the browser itself and is not one.
export function watch(page, problems) {
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  return page;
}

// Creates the first administrator through /setup and a workspace, leaving `page` on the
// workspace's page.
export async function setUpWorkspace(page, url, { email, name, workspace, password }) {
  await page.goto(`${url}/setup`, { waitUntil: 'networkidle' });
  await page.locator('#field-email').fill(email);
  await page.locator('#field-name').fill(name);
  await page.locator('#field-password').fill(password);
  await page.locator('#field-password').press('Enter');
  await page.waitForURL(`${url}/workspaces`);
  await page.locator('#field-name').fill(workspace);
  await page.locator('#field-name').press('Enter');
  await page.waitForURL(/\/workspaces\/[0-9a-f-]+$/);
}

// Makes the sample workspace with "Try with sample data" and answers its address; the sample
// opens on its organisation map.
export async function openSample(page, url) {
  await page.goto(`${url}/workspaces`, { waitUntil: 'networkidle' });
  await page.locator('button', { hasText: 'Try with sample data' }).click();
  await page.waitForURL(/\/workspaces\/[0-9a-f-]+\/maps\/[0-9a-f-]+$/);
  return page.url().replace(/\/maps\/[0-9a-f-]+$/, '');
}

// Starts a learning needs analysis for each of `people` in `team`, as the training lead would,
// with the role "Care coordinator".
export async function startAnalyses(page, workspaceUrl, team, people) {
  for (const name of people) {
    await page.goto(`${workspaceUrl}/learning`, { waitUntil: 'networkidle' });
    await page.locator('#field-name').fill(name);
    const role = await page.locator('#field-role option', { hasText: 'Care coordinator' }).first().getAttribute('value');
    await page.locator('#field-role').selectOption(role);
    await page.locator('#field-team').fill(team);
    await page.locator('button', { hasText: 'Start the analysis' }).click();
    await page.waitForURL(/\/learning\/[0-9a-f-]+$/);
  }
}

// Every page of the sample workspace (with analyses in team North), by name: `workspaceUrl` and
// `mapUrl` as `openSample` left them. Pages found through links are looked up in their lists.
export async function samplePages(page, workspaceUrl, mapUrl) {
  const firstLink = (url, pattern) => page.evaluate(async ([url, pattern]) => {
    const html = await (await fetch(url)).text();
    return html.match(new RegExp(pattern))?.[0];
  }, [url, pattern]);
  const origin = new URL(workspaceUrl).origin;
  const roleMap = origin + await firstLink(`${workspaceUrl}/role-maps`, '/workspaces/[0-9a-f-]+/role-maps/[0-9a-f-]+');
  const jobDescription = origin + await firstLink(roleMap, '/workspaces/[0-9a-f-]+/role-maps/[0-9a-f-]+/roles/[0-9a-f-]+');
  const analysis = origin + await firstLink(`${workspaceUrl}/learning`, '/workspaces/[0-9a-f-]+/learning/[0-9a-f-]+');
  return {
    workspace: workspaceUrl,
    maps: `${workspaceUrl}/maps`,
    map: mapUrl,
    organisations: `${mapUrl}/organisations`,
    plan: `${mapUrl}/plan`,
    review: `${workspaceUrl}/review`,
    'role maps': `${workspaceUrl}/role-maps`,
    'role map': roleMap,
    roles: `${roleMap}/roles`,
    'job description': jobDescription,
    analyses: `${workspaceUrl}/learning`,
    analysis,
    'team grid': `${workspaceUrl}/team-needs?team=North`,
    programme: `${workspaceUrl}/programme`,
    catalogue: `${workspaceUrl}/catalogue`,
    audit: `${workspaceUrl}/audit`,
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// The serious and critical problems axe-core finds on the page as it stands, one line each.
// axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does
// not govern, so the policy stays as strict in these tests as for anyone.
export async function accessibilityProblems(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

// Checks the page with axe-core at a desktop width (1366 px) and a phone's (390 × 844), and
// leaves it at the desktop width.
export async function assertAccessible(page, assert, what) {
  for (const [width, height] of [[390, 844], [1366, 768]]) {
    await page.setViewportSize({ width, height });
    assert.deepEqual(await accessibilityProblems(page), [], `${what} at ${width} px`);
  }
}

// Prints the page to PDF in Chromium as a person would (the page's own print stylesheet and page
// size) and reads it back with pdftotext: the number of pages, the text of each, and the whole
// text in reading order.
export async function printed(page) {
  const pdf = await page.pdf({ preferCSSPageSize: true, displayHeaderFooter: false });
  const folder = mkdtempSync(join(tmpdir(), 'caremap-print-'));
  try {
    const file = join(folder, 'page.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((page) => page.trim() !== '');
    // In reading order rather than laid out: a name wrapped in its column reads whole.
    const flow = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    return { pages: pages.length, text, pageTexts: pages, flow };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
