import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { browserStorage, signIn, useServedScreens } from './support/browser.js';
import { openCase, post, posted, referredCase } from './support/case-steps.js';
import { followWhenSignedIn, narrowedTo } from './support/screen-checks.js';
import { allEvents } from './support/test-app.js';

/**
 * The screens as people use them: Debian's Chromium against the real service on PGlite, signing in
 * and clicking. Personal values are distinctive so that a leak into storage or another agency's
 * screen would be found.
 */
const NAME = 'Amina Browsertest Kolo';
const PLAN = 'Code word marigold agreed for check-ins';
const SHELTER = 'Safe Haven Women and Girls Shelter (demo)';
const SOCIAL = 'Demo State Ministry of Women Affairs and Social Development';

describe('the screens in a real browser', () => {
  const screens = useServedScreens();
  const { t, signedIn, page: pageOf } = screens;
  /** A case referred to the shelter with the person's name and a safety plan, consent covering identity and safety. */
  const shelterCase = async () => {
    const shelterId = await t.agencyId('Shelter');
    const referred = await referredCase(t, shelterId, { person: { identity: { fullName: NAME } }, categories: ['identity', 'safety'] });
    await posted(t, 201, `/cases/${referred.caseId}/safety-assessments`, { riskLevel: 'medium', plan: PLAN });
    return referred;
  };
  const referralPage = async (page: Page, caseId: string, referralId: string) => {
    await page.goto(`${screens.baseUrl}#/referrals/${caseId}/${referralId}`);
    await page.getByRole('heading', { name: 'Referral' }).waitFor();
  };
  const category = (page: Page, code: string) => page.locator(`li[data-category="${code}"]`);

  it('an address followed the moment the screens appear after sign-in is the screen shown, not the first screen', async () => {
    const { caseId, referralId } = await shelterCase();
    const page = await pageOf();
    await page.goto(screens.baseUrl);
    await page.evaluate(followWhenSignedIn, `/referrals/${caseId}/${referralId}`);
    await page.getByLabel('Username').fill('caseworker.shelter');
    await page.getByLabel('Password').fill(t.password);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Referral' }).waitFor({ timeout: 10_000 });
    await expect(category(page, 'identity').innerText()).resolves.toContain(NAME);
  });

  it('a caseworker finds the agency’s cases in My cases, and the status filter narrows the list to paused ones', async () => {
    const open = await openCase(t);
    const paused = await openCase(t);
    await posted(t, 200, `/cases/${paused}/interruption`, { reason: 'lost_contact' });
    const page = await signedIn('caseworker.social');
    await page.locator(`a[href="#/cases/${open}"]`).waitFor();

    await page.getByLabel('Show').selectOption('paused');
    await page.waitForFunction(narrowedTo, [`a[href="#/cases/${paused}"]`, `a[href="#/cases/${open}"]`]);
  });

  it('the receiving agency narrows its incoming referrals to accepted ones, and back to all of them', async () => {
    const shelterId = await t.agencyId('Shelter');
    const waiting = await referredCase(t, shelterId);
    const accepted = await referredCase(t, shelterId);
    await posted(t, 200, `/cases/${accepted.caseId}/referrals/${accepted.referralId}/accept`, {}, 'caseworker.shelter');
    const page = await signedIn('caseworker.shelter');
    const link = (r: { caseId: string; referralId: string }) => `a[href="#/referrals/${r.caseId}/${r.referralId}"]`;
    await page.goto(`${screens.baseUrl}#/referrals`);
    await page.locator(link(waiting)).waitFor();

    await page.getByLabel('Show').selectOption('accepted');
    await page.waitForFunction(narrowedTo, [link(accepted), link(waiting)]);
    await page.getByLabel('Show').selectOption('');
    await page.locator(link(waiting)).waitFor();
    await expect(page.locator(link(accepted)).count()).resolves.toBe(1);
  });

  it('the case page shows each consent provision with its status and each referral with its status and answer date', async () => {
    const { caseId } = await shelterCase();
    const page = await signedIn('caseworker.social');
    await page.goto(`${screens.baseUrl}#/cases/${caseId}`);

    const provision = page.getByRole('article').getByRole('row').filter({ hasText: SHELTER });
    await provision.waitFor();
    await expect(provision.innerText()).resolves.toMatch(/Providing a service: shelter.*Identity.*Safety and risks.*In force/s);
    const referrals = page.getByRole('region', { name: 'Referrals' });
    await expect(referrals.getByRole('row').nth(1).innerText()).resolves.toMatch(/Waiting for an answer/);
    await expect(page.getByRole('region', { name: 'The person' }).innerText()).resolves.toContain(NAME);
  });

  it('withdrawing a consent names the referral it will withdraw before it is confirmed, and writes nothing until then', async () => {
    const { caseId, consentId } = await shelterCase();
    const page = await signedIn('caseworker.social');
    await page.goto(`${screens.baseUrl}#/cases/${caseId}`);
    await page.getByRole('link', { name: 'Withdraw this consent' }).click();

    const consequences = page.getByRole('region', { name: 'What this will do' });
    await consequences.getByText('This referral relies on it').waitFor();
    await expect(consequences.getByRole('row').nth(1).innerText()).resolves.toContain(SHELTER);
    const withdrawals = async () =>
      (await allEvents(t.store)).filter((e) => e.type === 'ConsentWithdrawn' && (e.data as { consentId: string }).consentId === consentId);
    await expect(withdrawals()).resolves.toHaveLength(0);

    await page.getByRole('button', { name: 'Confirm withdrawal' }).dblclick();
    await page.waitForURL(`**/#/cases/${caseId}`);
    await page.getByRole('region', { name: 'Referrals' }).getByText('Withdrawn').waitFor();
    await expect(withdrawals()).resolves.toHaveLength(1);
  });

  it('the receiving agency reads the shared categories, accepts, and after the person withdraws consent sees them as withdrawn', async () => {
    const { caseId, consentId, referralId } = await shelterCase();
    const page = await signedIn('caseworker.shelter');
    await page.getByRole('link', { name: 'Referrals to my agency' }).click();
    const link = page.locator(`a[href="#/referrals/${caseId}/${referralId}"]`);
    await link.filter({ hasText: SOCIAL }).waitFor();
    await link.click();
    await expect(category(page, 'identity').innerText()).resolves.toContain(NAME);
    await expect(category(page, 'safety').innerText()).resolves.toContain(PLAN);

    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('button', { name: 'Mark as provided' }).waitFor();
    await posted(t, 200, `/cases/${caseId}/consents/${consentId}/withdrawal`, {});
    await page.getByRole('button', { name: 'Reload' }).click();

    await category(page, 'identity').getByText('Withdrawn: The person withdrew consent to share this').waitFor();
    await expect(category(page, 'safety').innerText()).resolves.toContain('Withdrawn');
    await expect(page.locator('main').innerText()).resolves.not.toContain(NAME);
    await expect(page.locator('.facts').innerText()).resolves.toMatch(/Withdrawn/);
  });

  it('a receiving agency never sees a referral made to another agency, in its list or by its address', async () => {
    const { caseId, referralId } = await referredCase(t, await t.agencyId('Clinic'), {
      person: { identity: { fullName: NAME } },
      serviceType: 'medical',
    });
    const shelterCaseNow = await shelterCase();
    const page = await signedIn('caseworker.shelter');
    await page.getByRole('link', { name: 'Referrals to my agency' }).click();
    // The list has loaded once the shelter's own newer referral shows.
    await page.locator(`a[href*="${shelterCaseNow.referralId}"]`).waitFor();
    await expect(page.locator(`a[href*="${referralId}"]`).count()).resolves.toBe(0);

    await referralPage(page, caseId, referralId);
    await page.getByText('Not found, or not shared with your agency.').waitFor();
    await expect(page.content()).resolves.not.toContain(NAME);
  });

  it('the police never see a case that was not referred to them', async () => {
    const { caseId, referralId } = await shelterCase();
    const page = await signedIn('officer.police');
    await referralPage(page, caseId, referralId);
    await page.getByText('Not found, or not shared with your agency.').waitFor();
    await expect(page.content()).resolves.not.toContain(NAME);
  });

  it('nothing personal stays in the browser’s storage after a session, and signing out clears the screen', async () => {
    const { caseId, referralId } = await shelterCase();
    const page = await signedIn('caseworker.shelter');
    await page.getByRole('button', { name: 'Français' }).click();
    await page.goto(`${screens.baseUrl}#/referrals/${caseId}/${referralId}`);
    await page.getByRole('heading', { name: 'Orientation' }).waitFor();
    await category(page, 'identity').getByText(NAME).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').waitFor();

    const stored = await browserStorage(page);
    expect(stored).not.toContain(NAME);
    expect(stored).not.toContain(PLAN);
    expect(stored).not.toMatch(/eyJ[\w-]+\./); // no token either
    // The chosen language is the one thing kept, and nothing else is.
    expect(JSON.parse(stored)).toEqual({
      localStorage: ['language=en'],
      sessionStorage: [],
      indexedDB: [],
      cacheStorage: [],
      serviceWorkers: [],
    });
    await expect(page.content()).resolves.not.toContain(NAME);
  });

  it('the screens sign out after the idle time and say why', async () => {
    const page = await pageOf();
    await page.clock.install();
    await signIn(page, screens.baseUrl, 'caseworker.social', t.password);
    await page.clock.fastForward('15:01');
    await page.getByText('You were signed out because the screen was not used for a while').waitFor();
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
  });

  it('the page runs under a policy allowing its own files only, and breaks none of it', async () => {
    const page = await pageOf();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(error.message));
    const response = await page.goto(screens.baseUrl);
    const policy = response!.headers()['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    await signIn(page, screens.baseUrl, 'caseworker.social', t.password);
    await page.getByRole('heading', { name: 'My cases' }).waitFor();
    expect(violations).toEqual([]);
  });

  it('a refused action says why in plain words next to it', async () => {
    const { caseId, referralId } = await shelterCase();
    const page = await signedIn('caseworker.shelter');
    await referralPage(page, caseId, referralId);
    // Meanwhile the owner withdrew the referral: the shelter's screen still offers to accept it.
    await posted(t, 200, `/cases/${caseId}/referrals/${referralId}/withdraw`, {});
    await page.getByRole('button', { name: 'Accept' }).click();
    const refused = await post(t, `/cases/${caseId}/referrals/${referralId}/accept`, {}, 'caseworker.shelter');
    await expect(page.getByRole('alert').innerText()).resolves.toContain(refused.body.detail);
  });
});
