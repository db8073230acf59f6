import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { browserStorage, screenshot, signIn, useBrowser, useBuiltScreens } from './support/browser.js';
import { firstSignIn, openCase, post, posted, provision, read, referredCase } from './support/case-steps.js';
import { useTestApp } from './support/test-app.js';

/**
 * The oversight screens in a real browser (Debian's Chromium against the real service on PGlite):
 * the supervisor's approvals, the agency admin's users and keys, the coordinator's reports and
 * directory, the auditor's trail, chain and CSV, and each role's navigation.
 */
describe('the oversight screens in a real browser', () => {
  const built = useBuiltScreens();
  // Counts under 3 are suppressed, so a couple of referrals make a suppressed cell beside a shown one.
  const t = useTestApp({ settings: () => ({ WEB_DIR: built.dir, SIGN_INS_PER_MINUTE: '1000', REPORT_MIN_CELL: '3' }) });
  const browser = useBrowser();
  let baseUrl = '';

  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/`;
  });

  const signedIn = async (username: string, password = t.password) => {
    const page = await (await browser.context()).newPage();
    await signIn(page, baseUrl, username, password);
    return page;
  };
  const open = async (page: Page, path: string, heading: string) => {
    await page.goto(`${baseUrl}#${path}`);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
  };
  /** A child's case of the Social Development agency with a best-interests determination proposed by `username`. */
  const proposed = async (username: string) => {
    const caseId = await openCase(t, { ageGroup: 'child' });
    const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const answer = await posted(
      t,
      201,
      `/cases/${caseId}/best-interests-determinations`,
      {
        scope: [{ ...provision(await t.agencyId('Shelter')), validUntil }],
        reasons: 'Shelter tonight is safer than the street',
      },
      username,
    );
    return { caseId, determinationId: answer.determinationId as string };
  };
  const determinationStatus = async (caseId: string, determinationId: string) => {
    const view = await read(t, `/cases/${caseId}`, 'supervisor.social');
    return (view.determinations as Array<{ determinationId: string; status: string }>).find((d) => d.determinationId === determinationId)
      ?.status;
  };
  /** The header's links, as a user reads them. */
  const navigation = async (page: Page) =>
    (await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts()).map((text) => text.trim());

  it('a supervisor approves a best-interests determination a colleague proposed', async () => {
    const { caseId, determinationId } = await proposed('caseworker.social');
    const page = await signedIn('supervisor.social');
    await page.getByRole('link', { name: 'Approvals' }).click();
    const row = page.locator(`[data-approval="${determinationId}"]`);
    await expect(row.innerText()).resolves.toContain('Best-interests determination');
    await expect(row.getByText('You proposed this').count()).resolves.toBe(0);
    // Not blind: the scope (who, what) and the reasons are on the card with the buttons.
    const scope = row.getByRole('group', { name: 'What it allows to be shared' });
    // The agency's name comes with the directory, after the card: wait for it rather than read a placeholder.
    await scope.getByText('Safe Haven Women and Girls Shelter (demo)').waitFor();
    await expect(scope.innerText()).resolves.toContain('Identity (name, date of birth)');
    await expect(row.locator('[data-reasons]').innerText()).resolves.toBe('Shelter tonight is safer than the street');
    await screenshot(page, 'supervisor-approvals');

    await row.getByRole('button', { name: 'Approve' }).click();
    await row.waitFor({ state: 'detached' });
    await expect(determinationStatus(caseId, determinationId)).resolves.toBe('approved');

    // The case page lists the determination with its status.
    await page.goto(`${baseUrl}#/cases/${caseId}`);
    const listed = page.getByRole('region', { name: 'Best-interests determinations and erasure' }).getByRole('article');
    await expect(listed.innerText()).resolves.toContain('Approved');
    await expect(listed.innerText()).resolves.toContain('Shelter tonight is safer than the street');
  });

  it('a supervisor sees why an erasure was asked for before approving it, and the case page shows it waiting', async () => {
    const caseId = await openCase(t);
    const { requestId } = await posted(t, 201, `/cases/${caseId}/erasure-requests`, { reason: 'person_requested' }, 'supervisor.social');
    const page = await signedIn('supervisor.social');
    await open(page, '/approvals', 'Approvals waiting');
    const row = page.locator(`[data-approval="${requestId}"]`);
    // The buttons come once the case is read, with the reason.
    await row.getByRole('button', { name: 'Approve' }).waitFor();
    await expect(row.innerText()).resolves.toContain('Why\nthe person asked');

    await page.goto(`${baseUrl}#/cases/${caseId}`);
    const section = page.getByRole('region', { name: 'Best-interests determinations and erasure' });
    await expect(section.getByRole('article').innerText()).resolves.toContain('waiting for approval');
    await expect(section.getByRole('article').innerText()).resolves.toContain('the person asked');
  });

  it('a supervisor is told before trying that their own proposal needs someone else, and the refusal is shown when they try', async () => {
    const { caseId, determinationId } = await proposed('supervisor.social');
    const page = await signedIn('supervisor.social');
    await open(page, '/approvals', 'Approvals waiting');
    const row = page.locator(`[data-approval="${determinationId}"]`);
    await row.getByText('You proposed this: someone else must approve or reject it.').waitFor();

    await row.getByRole('button', { name: 'Approve' }).click();
    const refused = await post(t, `/cases/${caseId}/best-interests-determinations/${determinationId}/approval`, {}, 'supervisor.social');
    expect(refused.status).toBe(403);
    await expect(row.getByRole('alert').innerText()).resolves.toContain(refused.body.detail);
    await expect(determinationStatus(caseId, determinationId)).resolves.toBe('proposed');
  });

  it('a supervisor rejects an erasure request a colleague made, and the case keeps its data', async () => {
    const caseId = await openCase(t);
    const { requestId } = await posted(t, 201, `/cases/${caseId}/erasure-requests`, { reason: 'person_requested' }, 'supervisor.social');
    const colleague = { username: 'supervisor.second', displayName: 'Second supervisor', role: 'supervisor' };
    const { initialPassword } = await posted(t, 201, '/agency/users', colleague, 'admin.social');
    // The colleague has chosen their own password (the initial one only lets them do that).
    await firstSignIn(t, colleague.username, initialPassword as string);
    const page = await signedIn(colleague.username, `${colleague.username} chose this one`);
    await open(page, '/approvals', 'Approvals waiting');
    const row = page.locator(`[data-approval="${requestId as string}"]`);
    await expect(row.innerText()).resolves.toContain('Erasure of the case’s personal data');

    await row.getByRole('button', { name: 'Reject' }).click();
    await row.waitFor({ state: 'detached' });
    const view = await read(t, `/cases/${caseId}`, 'supervisor.social');
    expect({ erased: view.erased, erasureRequest: view.erasureRequest }).toEqual({ erased: undefined, erasureRequest: undefined });
  });

  it('the admin adds a user, sees the initial password once, and the new user signs in with it once, to choose their own', async () => {
    const page = await signedIn('admin.social');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Username').fill('caseworker.browser');
    await page.getByLabel('Name shown to colleagues').fill('Browser Test Caseworker');
    await page.getByLabel('Role').selectOption('caseworker');
    await page.getByRole('button', { name: 'Add the user' }).click();
    // A labelled region, not a live one: a screen reader does not read the password aloud, and focus is on it.
    const shown = page.getByRole('region', { name: 'Initial password for caseworker.browser' });
    const password = (await shown.locator('[data-secret]').innerText()).trim();
    await expect(
      shown.evaluate((region) => region === region.ownerDocument.activeElement && !region.closest('[aria-live], [role="status"]')),
    ).resolves.toBe(true);
    expect(password.length).toBeGreaterThanOrEqual(12);
    await page.locator('tr[data-username="caseworker.browser"]').waitFor();
    await screenshot(page, 'admin-users');

    await shown.getByRole('button', { name: 'I have copied it: hide it' }).click();
    await expect(page.content()).resolves.not.toContain(password);
    await page.reload();
    await signIn(page, baseUrl, 'admin.social', t.password);
    await open(page, '/users', 'Users of your agency');
    await page.locator('tr[data-username="caseworker.browser"]').waitFor();
    await expect(page.content()).resolves.not.toContain(password);

    // The initial password works once: it leads to choosing one's own, which then signs in.
    const newcomer = await (await browser.context()).newPage();
    await newcomer.goto(baseUrl);
    await newcomer.getByLabel('Username').fill('caseworker.browser');
    await newcomer.getByLabel('Password').fill(password);
    await newcomer.getByLabel('Password').press('Enter');
    await newcomer.getByRole('heading', { name: 'Choose your own password' }).waitFor();
    const own = 'a passphrase only I know';
    await newcomer.getByLabel('New password', { exact: true }).fill(own);
    await newcomer.getByLabel('Repeat the new password').fill(own);
    await screenshot(newcomer, 'user-choose-password');
    await newcomer.getByRole('button', { name: 'Save and sign in' }).click();
    await newcomer.getByRole('heading', { name: 'My cases' }).waitFor();
    await expect(browserStorage(newcomer)).resolves.not.toContain(own);
    expect((await t.http.post('/auth/token').send({ username: 'caseworker.browser', password })).status).toBe(401);
  });

  it('a user the admin deactivates can no longer sign in', async () => {
    const added = await post(
      t,
      '/agency/users',
      { username: 'frontline.leaving', displayName: 'Leaving Worker', role: 'frontline_worker' },
      'admin.social',
    );
    expect(added.status).toBe(201);
    const page = await signedIn('admin.social');
    await open(page, '/users', 'Users of your agency');
    const row = page.locator('tr[data-username="frontline.leaving"]');
    await row.getByRole('button', { name: 'Deactivate frontline.leaving' }).click();
    await row.getByText('Deactivated').waitFor();

    const other = await (await browser.context()).newPage();
    await other.goto(baseUrl);
    await other.getByLabel('Username').fill('frontline.leaving');
    await other.getByLabel('Password').fill(added.body.initialPassword);
    await other.getByLabel('Password').press('Enter');
    await other.getByRole('alert').waitFor();
    await expect(other.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
  });

  it('the admin creates a partner key, shown once, and revokes it', async () => {
    const page = await signedIn('admin.social');
    await page.getByRole('link', { name: 'Partner API keys' }).click();
    await page.getByLabel('Name of the system using it').fill('Browser test system');
    await page.getByRole('button', { name: 'Create the key' }).click();
    const key = (await page.getByRole('region', { name: 'The key for Browser test system' }).locator('[data-secret]').innerText()).trim();
    await screenshot(page, 'admin-api-keys');
    const works = () => t.http.get('/referrals').set('Authorization', `ApiKey ${key}`);
    await expect(works().then((r) => r.status)).resolves.toBe(200);

    await page.getByRole('button', { name: 'Revoke the key Browser test system' }).click();
    await page.getByRole('row').filter({ hasText: 'Browser test system' }).getByText('Revoked').waitFor();
    await expect(works().then((r) => r.status)).resolves.toBe(401);
  });

  it('the coordinator’s reports draw each chart with its table beside it, the bars as the table says, and small counts as suppressed', async () => {
    const shelter = await t.agencyId('Shelter');
    for (let i = 0; i < 3; i++) await referredCase(t, shelter);
    await referredCase(t, await t.agencyId('Clinic'), { serviceType: 'medical' });
    const page = await signedIn('coordinator.justice');
    await page.getByRole('link', { name: 'Reports' }).click();
    const chart = page.locator('svg[data-chart="volumes"]');
    await chart.waitFor();
    await screenshot(page, 'coordinator-reports');

    const bars = await chart
      .locator('g[data-label]')
      .evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-label'), g.getAttribute('data-value')]));
    const table = page.getByRole('figure', { name: 'Referrals requested, by service type and area' }).locator('tbody tr');
    const rows = await table.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-label'), tr.querySelector('td')!.textContent]));
    expect(bars.length).toBeGreaterThan(0);
    expect(bars).toEqual(rows.map(([label, value]) => [label, value === 'suppressed' ? 'suppressed' : String(Number(value))]));
    expect(bars).toContainEqual([expect.stringContaining('Medical care'), 'suppressed']);
    const shelterBars = bars.filter(([label]) => label!.startsWith('Shelter'));
    expect(shelterBars.map(([, value]) => Number(value))).toContainEqual(expect.any(Number));
    expect(shelterBars.some(([, value]) => Number(value) >= 3)).toBe(true);
    await expect(page.locator('svg[data-chart="declines"]').count()).resolves.toBe(1);
  });

  it('the auditor verifies the chain and downloads the consent trail as CSV', async () => {
    const { caseId } = await referredCase(t, await t.agencyId('Shelter'));
    const page = await signedIn('auditor.justice');
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await expect(page.locator('[data-verified]').innerText()).resolves.toMatch(/The chain holds: [\d,]+ entries verified/);

    await page.getByRole('cell', { name: 'ConsentGiven' }).first().waitFor();
    await page.getByLabel('Case id').fill(caseId);
    await page.getByRole('button', { name: 'Apply the filters' }).click();
    // Filtered once no record of another case is listed, and this case's consent is.
    await page.locator(`td span[title]:not([title="${caseId}"])`).first().waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'ConsentGiven' }).waitFor();
    await screenshot(page, 'auditor-audit');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('consent-trail.csv');
    const csv = await readFile(await download.path(), 'utf8');
    const [header, ...lines] = csv.trim().split('\r\n');
    expect(header).toBe('caseId,revision,type,occurredAt,actorUserId,actorAgencyId,details');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.startsWith(caseId))).toBe(true);
  });

  it('a shelter’s caseworker says how many places are free, and the directory reads it', async () => {
    const page = await signedIn('caseworker.shelter');
    await page.getByRole('link', { name: 'My services' }).click();
    const form = page.getByRole('form').first();
    // Not 0: a full shelter would refuse the referrals other scenarios make to it.
    await form.getByLabel('Places free now').fill('2');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved.').waitFor();
    await screenshot(page, 'caseworker-my-services');
    const services = await read(t, `/directory/services?agencyId=${await t.agencyId('Shelter')}`, 'caseworker.shelter');
    expect((services as Array<{ capacity?: { available: number } }>)[0]!.capacity?.available).toBe(2);
  });

  it('each role sees only its own screens in the navigation', async () => {
    const expected: Record<string, string[]> = {
      'caseworker.social': ['My cases', 'New case', 'Referrals to my agency', 'My services'],
      'supervisor.social': ['My cases', 'New case', 'Referrals to my agency', 'Approvals', 'My services'],
      'admin.social': ['My services', 'Users', 'Partner API keys'],
      'coordinator.justice': ['Member agencies', 'Service directory', 'Reports'],
      'auditor.justice': ['Audit'],
    };
    for (const [username, links] of Object.entries(expected)) {
      const page = await signedIn(username);
      expect({ username, links: await navigation(page) }).toEqual({ username, links: expect.arrayContaining(links) });
      expect({ username, count: (await navigation(page)).length }).toEqual({ username, count: links.length });
    }
  });

  it('a direct link to another role’s screen says it is not available to the role, and the API refuses its data anyway', async () => {
    const page = await signedIn('auditor.justice');
    await page.goto(`${baseUrl}#/users`);
    await page.getByRole('heading', { name: 'This screen is not available to your role.' }).waitFor();
    await screenshot(page, 'auditor-not-available');
    const refused = await t.http.get('/agency/users').set(await t.bearer('auditor.justice'));
    expect(refused.status).toBe(403);
  });

  it('the coordinator lists member agencies and the service directory with its capacity', async () => {
    const page = await signedIn('coordinator.justice');
    await page.getByRole('link', { name: 'Member agencies' }).click();
    await page.getByRole('row').filter({ hasText: 'Safe Haven Women and Girls Shelter (demo)' }).waitFor();
    await expect(page.getByRole('row').filter({ hasText: 'Your agency' }).count()).resolves.toBe(1);
    await screenshot(page, 'coordinator-agencies');
    await page.getByRole('link', { name: 'Service directory' }).click();
    await page.getByRole('row').filter({ hasText: 'Safe shelter for women and girls' }).waitFor();
    await screenshot(page, 'coordinator-directory');
  });

  it('the coordinator deactivates a member agency only once they confirm, and it leaves the list', async () => {
    const name = 'Browser Test Leaving Agency';
    await posted(t, 201, '/directory/agencies', { name, kind: 'national_ngo' }, 'coordinator.justice');
    const page = await signedIn('coordinator.justice');
    await open(page, '/agencies', 'Member agencies');
    await page.getByRole('button', { name: `Deactivate ${name}` }).click();
    const confirm = page.getByRole('button', { name: `Confirm: deactivate ${name} now` });
    const agencies = async () =>
      ((await read(t, '/directory/agencies', 'coordinator.justice')) as Array<{ name: string }>).map((a) => a.name);
    await expect(agencies()).resolves.toContain(name);

    await confirm.click();
    await page.getByRole('row').filter({ hasText: name }).waitFor({ state: 'detached' });
    await expect(agencies()).resolves.not.toContain(name);
  });
});
