// Learning needs in headless Chromium, on the sample workspace's role map: a named person's
// analysis created from a role, needs recorded with activities picked from the catalogue, the
// programme's totals changing with each, a team's grid used with the keyboard, and a role
// change archiving what the new role does not do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, chromiumOptions, watch, setUpWorkspace, openSample, assertAccessible } from './server.mjs';

const PASSWORD = 'correct horse battery staple';
let server;
let browser;
let page;
let workspaceUrl;
let ashaUrl;
const problems = [];

before(async () => {
  server = await startServer();
  browser = await chromium.launch(chromiumOptions);
  page = watch(await browser.newPage(), problems);
  await setUpWorkspace(page, server.url, { email: 'lee@example.org', name: 'Lee Trainer', workspace: 'Riverside trust', password: PASSWORD });
  workspaceUrl = await openSample(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Picks the option of `select` whose text includes `text`.
async function choose(select, text) {
  const value = await page.locator(`${select} option`, { hasText: text }).first().getAttribute('value');
  await page.locator(select).selectOption(value);
}

async function startPerson(name) {
  await page.goto(`${workspaceUrl}/learning`, { waitUntil: 'networkidle' });
  await page.locator('#field-name').fill(name);
  await choose('#field-role', 'Care coordinator');
  await page.locator('#field-team').fill('North');
  await page.locator('button', { hasText: 'Start the analysis' }).click();
  await page.waitForURL(/\/learning\/[0-9a-f-]+$/);
  await page.locator('h1', { hasText: `Learning needs: ${name}` }).waitFor();
}

// Fills the open need form and saves it, waiting for the server's answer.
async function recordNeed({ priority, status, activity, target, text }) {
  const form = page.locator('.need-form');
  await form.waitFor();
  await form.locator('#need-priority').selectOption(priority);
  await form.locator('#need-status').selectOption(status);
  if (text) await form.locator('#need-text').fill(text);
  if (activity) await choose('#need-activity', activity);
  if (target) await form.locator('#need-target').fill(target);
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/set_need') && r.status() === 200), form.locator('button', { hasText: 'Save the need' }).click()]);
  await form.waitFor({ state: 'detached' });
}

async function programmeTotals(query = '') {
  await page.goto(`${workspaceUrl}/programme${query}`, { waitUntil: 'networkidle' });
  const text = async (id) => (await page.locator(id).textContent()).trim();
  return { needs: await text('#total-needs'), cost: await text('#total-cost') };
}

test("a named person's analysis follows a role: its functions and the core ones", async () => {
  await startPerson('Asha Patel');
  ashaUrl = page.url();
  const meta = await page.locator('.card__meta').textContent();
  assert.match(meta, /Named person/);
  assert.match(meta, /Role: Care coordinator/);
  assert.match(meta, /20 functions in scope/);
  assert.equal(await page.locator('table.needs tbody tr[data-function-id]').count(), 20);
  assert.equal(await page.locator('tr[data-function-id="bus-02"]').count(), 0, "the manager's functions are not the coordinator's");
  assert.deepEqual(await programmeTotals(), { needs: 'Needs: 0', cost: 'Total cost: £0' });
});

test('needs recorded with catalogue activities change the programme totals', async () => {
  await page.goto(ashaUrl, { waitUntil: 'networkidle' });
  await page.locator('tr[data-function-id="comm-01"] button', { hasText: 'Edit' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'need-priority', 'the form opens on its first field');
  const options = await page.locator('#need-activity optgroup[label="Addresses this function"] option').allTextContents();
  assert.ok(options.some((o) => o.startsWith('Effective Care Co-ordination for CPA')), `catalogue activities for comm-01 come first: ${options}`);
  await recordNeed({ priority: 'high', status: 'planned', activity: 'Effective Care Co-ordination for CPA', target: '2027-03-31', text: 'Build confidence in reviews' });
  const row = page.locator('tr[data-function-id="comm-01"]');
  assert.equal(await row.locator('.need__summary').textContent(), 'High priority, planned');
  assert.equal(await row.locator('.need__activity').textContent(), 'Effective Care Co-ordination for CPA');
  await page.locator('.need-counts', { hasText: 'Learning needs identified: 1. Done: 0.' }).waitFor();
  assert.deepEqual(await programmeTotals(), { needs: 'Needs: 1', cost: 'Total cost: £120' });

  await page.goto(ashaUrl, { waitUntil: 'networkidle' });
  await page.locator('tr[data-function-id="core-05"] button', { hasText: 'Edit' }).click();
  await recordNeed({ priority: 'medium', status: 'in-progress', activity: 'Safeguarding Level 3 training' });
  assert.deepEqual(await programmeTotals(), { needs: 'Needs: 2', cost: 'Total cost: £215' });
  await page.locator('.programme-activities th', { hasText: 'Safeguarding Level 3 training' }).waitFor();
  // Priority and status are also set in place, each list saving when it changes.
  await page.goto(ashaUrl, { waitUntil: 'networkidle' });
  const core05 = page.locator('tr[data-function-id="core-05"]');
  const saved = () => page.waitForResponse((r) => r.url().endsWith('/api/set_need') && r.status() === 200);
  await Promise.all([saved(), core05.locator('select').first().selectOption('high')]);
  await core05.locator('.need__summary', { hasText: 'High priority, in progress' }).waitFor({ state: 'attached' });
  await Promise.all([saved(), core05.locator('select').nth(1).selectOption('planned')]);
  await core05.locator('.need__summary', { hasText: 'High priority, planned' }).waitFor({ state: 'attached' });
  await page.locator('.matrix-status', { hasText: 'Saved: ' }).waitFor();
  await Promise.all([saved(), core05.locator('select').first().selectOption('medium')]);
  await Promise.all([saved(), core05.locator('select').nth(1).selectOption('in-progress')]);
  await core05.locator('.need__summary', { hasText: 'Medium priority, in progress' }).waitFor({ state: 'attached' });
  assert.equal(await core05.locator('.need__activity').textContent(), 'Safeguarding Level 3 training', 'the rest of the need is kept');
  // A bad value is refused with its reason, and nothing is saved.
  await page.goto(ashaUrl, { waitUntil: 'networkidle' });
  await page.locator('tr[data-function-id="comm-02"] button', { hasText: 'Edit' }).click();
  await page.locator('#need-priority').selectOption('low');
  await page.locator('#need-described').evaluate((input) => input.removeAttribute('maxlength'));
  await page.locator('#need-described').fill('x'.repeat(201));
  await page.locator('.need-form button', { hasText: 'Save the need' }).click();
  await page.locator('.need-form .field__error', { hasText: '200 characters' }).waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('tr[data-function-id="comm-02"] .need__summary').textContent(), 'Not assessed');
});

test("a team's grid is used with the keyboard, and the programme finds a cohort", async () => {
  await startPerson('Ben Hughes');
  await page.goto(`${workspaceUrl}/team-needs?team=North`, { waitUntil: 'networkidle' });
  await page.locator('h1', { hasText: 'Learning needs: North' }).waitFor();
  const heads = await page.locator('.team-grid thead .matrix__column').allTextContents();
  assert.deepEqual(heads, ['Asha Patel', 'Ben Hughes']);
  await assertAccessible(page, assert, 'the team grid');
  const comm01 = await page.locator('.team-grid tbody tr[data-function-id]').evaluateAll((rows) => rows.findIndex((r) => r.dataset.functionId === 'comm-01'));
  assert.equal(await page.locator(`#need-${comm01}-0 .need-cell__priority`).textContent(), 'High', "Asha's recorded need");
  assert.equal(await page.locator(`#need-${comm01}-1 .need-cell__priority`).textContent(), 'not assessed', "Ben's, in words");

  await page.locator('#need-0-0').focus();
  for (let i = 0; i < comm01; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.id), `need-${comm01}-1`);
  await page.keyboard.press('Enter');
  await recordNeed({ priority: 'high', status: 'not-started', activity: 'Effective Care Co-ordination for CPA' });
  assert.equal(await page.evaluate(() => document.activeElement.id), `need-${comm01}-1`, 'focus returns to the cell');
  assert.equal(await page.locator(`#need-${comm01}-1 .need-cell__priority`).textContent(), 'High');
  await page.locator('.matrix-status', { hasText: 'Saved:' }).waitFor();

  // A priority is typed in place, by number or initial, and undone with Ctrl+Z.
  const saved = () => page.waitForResponse((r) => r.url().endsWith('/api/set_need') && r.status() === 200);
  await page.keyboard.press('ArrowDown');
  await Promise.all([saved(), page.keyboard.press('2')]);
  await page.locator(`#need-${comm01 + 1}-1 .need-cell__priority`, { hasText: 'Medium' }).waitFor();
  await Promise.all([saved(), page.keyboard.press('l')]);
  await page.locator(`#need-${comm01 + 1}-1 .need-cell__priority`, { hasText: 'Low' }).waitFor();
  await Promise.all([saved(), page.keyboard.press('Control+z')]);
  await page.locator(`#need-${comm01 + 1}-1 .need-cell__priority`, { hasText: 'Medium' }).waitFor();
  await Promise.all([saved(), page.locator('.matrix-status-line button', { hasText: 'Undo' }).click()]);
  await page.locator(`#need-${comm01 + 1}-1 .need-cell__priority`, { hasText: 'None' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), `need-${comm01 + 1}-1`, 'undo goes back to the cell');

  // Out of scope: a cell of someone whose role does not include the function says so.
  await page.goto(`${workspaceUrl}/learning`, { waitUntil: 'networkidle' });
  await page.locator('#field-name').fill('Cara Jones');
  await choose('#field-role', 'Team administrator');
  await page.locator('#field-team').fill('North');
  await page.locator('button', { hasText: 'Start the analysis' }).click();
  await page.waitForURL(/\/learning\/[0-9a-f-]+$/);
  await page.goto(`${workspaceUrl}/team-needs?team=North`, { waitUntil: 'networkidle' });
  await page.locator('.team-grid[data-ready="true"]').waitFor({ state: 'attached' });
  const outside = page.locator(`#need-${comm01}-2`);
  assert.match(await outside.textContent(), /out of scope/);
  await outside.focus();
  await page.keyboard.press('h');
  await page.locator('[role="alert"]', { hasText: "is not in Cara Jones's analysis: add it to their scope first" }).waitFor();
  await assertAccessible(page, assert, 'the team grid with an out-of-scope cell');

  assert.deepEqual(await programmeTotals(), { needs: 'Needs: 3', cost: 'Total cost: £335' });
  const cohort = await page.locator('.cohorts li').first().textContent();
  assert.match(cohort, /Effective Care Co-ordination for CPA \(2 people\): Asha Patel, Ben Hughes/);
  // The filters narrow every figure.
  await page.locator('#filter-priority').selectOption('high');
  await page.locator('.filters button', { hasText: 'Show' }).click();
  await page.waitForURL(/priority=high/);
  await page.locator('#total-needs', { hasText: 'Needs: 2' }).waitFor();
  assert.equal(await page.locator('#needs-chart-description').textContent().then((t) => t.includes('Communication: 2 needs, 0 done')), true);
});

test("a role change archives the needs the new role does not include", async () => {
  await page.goto(ashaUrl, { waitUntil: 'networkidle' });
  await page.locator('summary', { hasText: 'Change role' }).click();
  await choose('#field-new-role', 'Team administrator');
  await page.locator('button', { hasText: 'Change to this role' }).click();
  await page.locator('.matrix-status', { hasText: 'Role changed; 1 needs archived.' }).waitFor();
  await page.locator('#archived-heading', { hasText: 'Archived (1)' }).waitFor();
  assert.match(await page.locator('.archived li').textContent(), /High priority, planned/);
  assert.equal(await page.locator('table.needs tr[data-function-id="comm-01"]').count(), 0);
  assert.match(await page.locator('.card__meta').textContent(), /Role: Team administrator/);
  assert.deepEqual(await programmeTotals(), { needs: 'Needs: 2', cost: 'Total cost: £215' });
  assert.deepEqual(problems, []);
});
