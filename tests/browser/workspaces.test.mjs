// First run, a workspace, an invitation and the audit log, in headless Chromium, as two people
// in two separate browser sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, chromiumOptions, watch } from './server.mjs';

const PASSWORD = 'correct horse battery staple';
let server;
let browser;
let owner;
let invitee;
let invitationLink;
let workspaceUrl;
const problems = [];


before(async () => {
  server = await startServer();
  browser = await chromium.launch(chromiumOptions);
  owner = watch(await (await browser.newContext()).newPage(), problems);
  invitee = watch(await (await browser.newContext()).newPage(), problems);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the first administrator is created at /setup, with a clear message for a short password', async () => {
  await owner.goto(`${server.url}/`, { waitUntil: 'networkidle' });
  await owner.locator('header a', { hasText: 'Set up caremap' }).click();
  await owner.waitForURL(`${server.url}/setup`);
  await owner.locator('#field-email').fill('ada@example.org');
  await owner.locator('#field-name').fill('Ada Lovelace');
  await owner.locator('#field-password').fill('too short');
  await owner.locator('#field-password').press('Enter');
  await owner.locator('#field-password-error', { hasText: 'at least 12 characters' }).waitFor();
  assert.equal(await owner.locator('#field-password').getAttribute('aria-invalid'), 'true');

  await owner.locator('#field-password').fill(PASSWORD);
  await owner.locator('#field-password').press('Enter');
  await owner.waitForURL(`${server.url}/workspaces`);
  await owner.locator('.user-menu__name', { hasText: 'Ada Lovelace' }).waitFor();
});

test('a workspace is created and an invitation link made', async () => {
  await owner.locator('#field-name').fill('Northshire adult social care');
  await owner.locator('#field-name').press('Enter');
  await owner.waitForURL(/\/workspaces\/[0-9a-f-]{36}$/);
  workspaceUrl = owner.url();
  await owner.locator('h1', { hasText: 'Northshire adult social care' }).waitFor();
  await owner.locator('#invite-role').selectOption('viewer');
  await owner.locator('button', { hasText: 'Create an invitation link' }).click();
  invitationLink = await owner.locator('#invitation-link').inputValue();
  assert.match(invitationLink, new RegExp(`^${server.url}/invitations/[0-9a-f]{64}$`));
});

test('the invited person creates an account and joins as a viewer', async () => {
  await invitee.goto(invitationLink, { waitUntil: 'networkidle' });
  await invitee.locator('h1', { hasText: 'Join “Northshire adult social care”' }).waitFor();
  await invitee.locator('#field-email').fill('bea@example.org');
  await invitee.locator('#field-name').fill('Bea Viewer');
  await invitee.locator('#field-password').fill(PASSWORD);
  await invitee.locator('button', { hasText: 'Create my account and join' }).click();
  await invitee.waitForURL(/\/workspaces\/[0-9a-f-]{36}$/);
  await invitee.locator('text=Your role here: Viewer.').waitFor();
  // A viewer gets no controls to change members.
  assert.equal(await invitee.locator('button', { hasText: 'Change role' }).count(), 0);
});

test('the owner sees the new member and the audit log lists every change, filterable', async () => {
  await owner.reload({ waitUntil: 'networkidle' });
  const rows = await owner.locator('table tbody th').allTextContents();
  assert.deepEqual(rows, ['Ada Lovelace (you)', 'Bea Viewer']);
  await owner.locator('a', { hasText: 'See the audit log' }).click();
  await owner.waitForURL(/\/audit$/);
  await owner.locator('tr.audit-entry').first().waitFor();
  assert.equal(await owner.locator('tr.audit-entry').count(), 4);
  await owner.locator('#audit-entity').selectOption('member');
  await owner.locator('button', { hasText: 'Show' }).click();
  await owner.waitForURL(/entity=member/);
  await owner.waitForFunction(() => document.querySelectorAll('tr.audit-entry').length === 2);
});

test('an open invitation can be withdrawn, and its link then says nothing of the workspace', async () => {
  await owner.goto(workspaceUrl, { waitUntil: 'networkidle' });
  await owner.locator('h1', { hasText: 'Northshire adult social care' }).waitFor();
  await owner.locator('#invite-role').selectOption('editor');
  await owner.locator('button', { hasText: 'Create an invitation link' }).click();
  const link = await owner.locator('#invitation-link').inputValue();
  const withdraw = owner.locator('.invitations button', { hasText: 'Withdraw' });
  await withdraw.waitFor();
  assert.match(await withdraw.getAttribute('aria-label'), /^Withdraw the invitation: Editor · made by Ada Lovelace/);
  if (process.env.CAREMAP_SCREENSHOTS) await owner.screenshot({ path: `${process.env.CAREMAP_SCREENSHOTS}/invitations.png`, fullPage: true });
  await withdraw.focus();
  await owner.keyboard.press('Enter');
  await owner.locator('.invitations').waitFor({ state: 'detached' });
  await invitee.goto(link, { waitUntil: 'networkidle' });
  await invitee.locator('text=This invitation link no longer works').waitFor();
  assert.equal(await invitee.locator('text=Northshire').count(), 0);
});

test('signing out returns to the home page and the workspace is closed to the visitor', async () => {
  await owner.locator('button', { hasText: 'Sign out' }).click();
  await owner.waitForURL(`${server.url}/`);
  await owner.locator('header a', { hasText: 'Sign in' }).waitFor();
  const response = await owner.goto(`${server.url}/workspaces`);
  assert.equal(response.status(), 401);
  await owner.locator('text=Please sign in to continue.').waitFor();
});

test('no script errors or security policy violations', () => {
  assert.deepEqual(problems, []);
});
