// The role map in headless Chromium: a menu built with select-all, two roles, cells set with
// the keyboard only, a gap seen, the job description opened, and its Word file downloaded,
// checked and converted to PDF by LibreOffice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, chromiumOptions, watch, setUpWorkspace, assertAccessible } from './server.mjs';

const PASSWORD = 'correct horse battery staple';
let server;
let browser;
let page;
let docxPath;
const folder = mkdtempSync(join(tmpdir(), 'caremap-role-maps-'));
const problems = [];


const status = (id) => page.locator(`tr[data-function-id="${id}"] .matrix__status`);
const cell = (row, column) => page.locator(`#cell-${row}-${column}`);

async function press(key) {
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/set_role_cell')), page.keyboard.press(key)]);
  await page.locator('.matrix-status[data-saving="false"]').waitFor({ state: 'attached' });
}

// A part of a .docx (a zip), read with Python's standard library.
function docxPart(path, name) {
  const script = 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8"))';
  return execFileSync('python3', ['-c', script, path, name], { encoding: 'utf8' });
}

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

before(async () => {
  server = await startServer();
  browser = await chromium.launch(chromiumOptions);
  page = watch(await (await browser.newContext({ acceptDownloads: true })).newPage(), problems);
  await setUpWorkspace(page, server.url, { email: 'tom@example.org', name: 'Tom Employer', workspace: 'Riverside trust', password: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a menu is built with select-all and two roles become columns, on the map\'s own tab', async () => {
  await page.locator('a', { hasText: 'Role maps and job descriptions' }).click();
  await page.locator('h1', { hasText: 'Role maps' }).waitFor();
  await page.locator('#field-organisation').fill('Riverside Community Team');
  await page.locator('button', { hasText: 'Create the role map' }).click();
  await page.waitForURL(/\/role-maps\/[0-9a-f-]+$/);
  const mapUrl = page.url();
  await page.locator('.empty a', { hasText: 'Add roles' }).click();
  await page.waitForURL(/\/roles$/);
  await page.locator('.menu summary', { hasText: '(7 ticked)' }).waitFor();

  // Select all in Communication, then untick one: 7 core + 10 - 1.
  await page.locator('#menu-all-communication').check();
  await page.locator('input[name="needed"][value="comm-10"]').uncheck();
  assert.equal(await page.locator('#menu-all-communication').isChecked(), false, 'select-all follows the boxes');
  await page.locator('.menu summary', { hasText: '(16 ticked)' }).waitFor();
  await page.locator('button', { hasText: 'Save the menu' }).click();
  await page.locator('.tabs a', { hasText: 'Functions needed (16)' }).waitFor();

  for (const [title, grade] of [['Care coordinator', 'Band 6'], ['Support worker', 'Band 3']]) {
    await page.locator('#field-add-title').fill(title);
    await page.locator('#field-add-team').fill('Community team');
    await page.locator('#field-add-grade').fill(grade);
    await page.locator('button', { hasText: 'Add the role' }).click();
    await page.locator('.table th', { hasText: title }).waitFor();
  }
  await page.locator('#roles-heading', { hasText: 'Roles (2)' }).waitFor();
  await assertAccessible(page, assert, 'the role map\'s roles tab');
  await page.locator('.tabs a', { hasText: 'Matrix' }).click();
  await page.waitForURL(mapUrl);
  await page.locator('tr[data-function-id="comm-09"]').waitFor();
  assert.equal(await page.locator('tr[data-function-id="comm-10"]').count(), 0, 'an unticked function is not in the matrix');
  assert.equal(await page.locator('.matrix__row').count(), 16);
  assert.equal(await page.locator('thead .matrix__column').count(), 2);
});

test('functions are assigned with the keyboard only, with a note, and a gap shows', async () => {
  await page.locator('.summary__overall', { hasText: '0 of 16 functions' }).waitFor();
  await page.locator('table.matrix[data-ready="true"]').waitFor({ state: 'attached' });
  assert.equal(await status('comm-01').textContent(), 'Gap: no role covers it');
  await cell(0, 0).focus();
  await press('s');
  assert.equal(await status('comm-01').textContent(), 'Gap: supported, but no role leads');
  await press('L');
  assert.match(await cell(0, 0).textContent(), /Leads/);
  assert.equal(await status('comm-01').textContent(), 'Led by one role');
  const tone = () => page.locator('tr[data-function-id="comm-01"]').getAttribute('class');
  assert.match(await tone(), /tone--healthy/, 'one role leading is the healthy state, not a warning');

  await page.keyboard.press('ArrowRight');
  await press('l');
  assert.equal(await status('comm-01').textContent(), 'Overlap: led by more than one role');
  await press('Delete');
  assert.equal(await status('comm-01').textContent(), 'Led by one role');
  await press('Control+z');
  assert.equal(await status('comm-01').textContent(), 'Overlap: led by more than one role', 'undone');
  await press('Delete');
  await assertAccessible(page, assert, 'the role map');

  await cell(0, 1).focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cell-1-0');
  await press('l');
  await page.keyboard.press('ArrowDown');
  await press('s');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  // The choices work as well as the keys.
  await page.keyboard.press('Enter');
  await page.locator('#cell-5-0 .chooser').waitFor();
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/set_role_cell')), page.locator('#cell-5-0 .chooser button', { hasText: 'Leads' }).click()]);
  await page.locator('.summary__overall', { hasText: '3 of 16 functions' }).waitFor();
  assert.equal(await status('comm-04').textContent(), 'Gap: no role covers it', 'a function nobody took on is a gap');
  const loads = page.locator('.role-loads tbody tr').first();
  assert.deepEqual(await loads.locator('td').evaluateAll((cells) => cells.slice(0, 2).map((c) => c.textContent)), ['3', '1']);

  // A note from the keyboard: F2 goes to the note beside the grid, Ctrl+Enter saves it.
  await cell(1, 0).focus();
  await page.keyboard.press('F2');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cell-note');
  await page.keyboard.type('Covers Mondays');
  await press('Control+Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cell-1-0', 'focus returns to the cell');

  await page.reload({ waitUntil: 'networkidle' });
  assert.match(await cell(1, 0).textContent(), /Leads.*Note: Covers Mondays/, 'the cells and the note were stored');
});

test('the job description lists the role\'s responsibilities and downloads as Word', async () => {
  await page.locator('a', { hasText: 'Job description: Care coordinator' }).click();
  await page.locator('.document h1', { hasText: 'Job description: Care coordinator' }).waitFor();
  const document = page.locator('.document');
  assert.match(await document.textContent(), /Build strong relationships with people who access care and support/);
  assert.equal(await document.locator('ol li').count(), 4, 'three led and one supported function, numbered throughout');
  assert.equal(await page.locator('textarea[id^="jd-questions-"]').count(), 3, 'questions for each led function');

  await page.locator('#jd-purpose').fill('To be the single point of contact for the people the team supports.');
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/save_job_description')), page.locator('button', { hasText: 'Save the job description' }).click()]);
  await page.locator('.document p', { hasText: 'To be the single point of contact' }).waitFor();

  // On paper: the document alone, on A4 portrait.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#edit-heading').isVisible(), false, 'the editing panel is not printed');
  assert.equal(await page.locator('.document h1').isVisible(), true);
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  assert.match(pdf, /\/MediaBox \[0 0 59\d[.\d]* 84\d/, 'A4 portrait');
  await page.emulateMedia({ media: 'screen' });

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a', { hasText: 'Download as Word (.docx)' }).click()]);
  assert.match(download.suggestedFilename(), /^Job description - Care coordinator\.docx$/);
  docxPath = join(folder, 'job-description.docx');
  await download.saveAs(docxPath);
  assert.equal(readFileSync(docxPath).subarray(0, 2).toString(), 'PK', 'a zip archive');
  assert.match(docxPart(docxPath, '[Content_Types].xml'), /wordprocessingml\.document\.main\+xml/);
  const body = docxPart(docxPath, 'word/document.xml');
  for (const text of ['Build strong relationships with people who access care and support', 'To be the single point of contact', 'Key responsibilities']) {
    assert.ok(body.includes(text), `the document holds “${text}”`);
  }
  assert.match(body, /<w:pStyle w:val="Heading1"\/>/, 'real headings');
  assert.match(body, /<w:numId w:val="2"\/>/, 'a numbered list');
});

test('LibreOffice converts the Word file to PDF', async (t) => {
  if (!hasCommand('soffice')) {
    t.skip('LibreOffice is not installed (make test installs it)');
    return;
  }
  const profile = join(folder, 'profile');
  execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', folder, docxPath], { stdio: 'pipe', timeout: 120_000 });
  const pdf = join(folder, 'job-description.pdf');
  assert.ok(existsSync(pdf), 'a PDF was written');
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  if (hasCommand('pdftotext')) {
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    assert.match(text, /Key responsibilities/);
  }
});

test('planning learning for the role opens an analysis scoped to its functions', async () => {
  await page.locator('button', { hasText: 'Plan learning for this role' }).click();
  await page.waitForURL(/\/learning\/[0-9a-f-]+$/);
  await page.locator('h1', { hasText: 'Learning needs: Care coordinator' }).waitFor();
  // comm-01, comm-02, comm-03 (led or supported) and comm-06 (led), plus the 7 core functions.
  assert.equal(await page.locator('table.needs tbody tr[data-function-id]').count(), 4 + 7);
  assert.deepEqual(problems, [], 'no script errors');
});
