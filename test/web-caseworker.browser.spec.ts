import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { screenshot, useServedScreens } from './support/browser.js';
import { openCase, posted } from './support/case-steps.js';
import { screenSettled } from './support/screen-checks.js';
import { allEvents } from './support/test-app.js';

/**
 * The caseworker's screens in Debian's Chromium against the real service on PGlite: opening a case
 * from detection, recording consent, referring from the suggestions, the case's actions, and what a
 * refused, conflicting or unsent write looks like. Personal values are distinctive so a leak would be found.
 */
const NAME = 'Hauwa Screentest Bukar';
const PLAN = 'Check-ins only through the camp women’s centre';
const SHELTER = 'Safe Haven Women and Girls Shelter (demo)';

describe('the caseworker’s screens in a real browser', () => {
  const screens = useServedScreens();
  const { t, signedIn } = screens;
  const casePage = async (page: Page, caseId: string) => {
    await page.goto(`${screens.baseUrl}#/cases/${caseId}`);
    await page.getByRole('region', { name: 'Case status' }).waitFor();
  };
  const eventsOf = async (caseId: string, type: string) =>
    (await allEvents(t.store)).filter((e) => e.streamId === `case-${caseId}` && e.type === type);
  const caseOpenings = async () => (await allEvents(t.store)).filter((e) => e.type === 'CaseOpened').length;
  /** The first permission of the consent form: to the shelter, to provide shelter, sharing `categories`. */
  const permitShelter = async (page: Page, categories: readonly string[]) => {
    await page.getByLabel('Agency', { exact: true }).selectOption({ label: SHELTER });
    await page.getByRole('group', { name: 'Services agreed to' }).getByLabel('Shelter', { exact: true }).check();
    const kinds = page.getByRole('group', { name: 'Kinds of information' });
    for (const category of categories) await kinds.getByLabel(category).check();
  };

  it('a caseworker opens a case, records consent for the shelter, refers; the shelter sees exactly that, accepts, then sees the withdrawal; the police never see the case', async () => {
    const page = await signedIn('caseworker.social');
    await page.getByRole('link', { name: 'New case' }).click();
    await page.getByRole('group', { name: 'Lack of control' }).getByLabel('Not free to leave').check();
    await page.getByLabel('Full name (optional)').fill(NAME);
    await page.getByLabel('Sex', { exact: true }).selectOption('female');
    await page.getByLabel('Age band').selectOption('18-24');
    await screenshot(page, 'caseworker-new-case');
    await page.getByRole('button', { name: 'Open the case' }).click();
    await page.waitForURL(/#\/cases\/[0-9a-f-]{36}$/);
    const caseId = /#\/cases\/([0-9a-f-]{36})$/.exec(page.url())![1]!;

    await page.getByText('Safety assessment').click();
    const safety = page.getByRole('form', { name: 'Safety assessment' });
    await safety.getByLabel('Risks to the person and staff, and the safety plan').fill(PLAN);
    await safety.getByRole('button', { name: 'Record' }).click();
    await page.getByText(/Safety assessment · Recorded/).waitFor();

    await page.getByRole('link', { name: 'Record consent' }).click();
    await permitShelter(page, ['Identity (name, date of birth)', 'Safety and risks']);
    await expect(page.getByRole('region', { name: 'Notice to read out' }).innerText()).resolves.toContain(`${SHELTER} may receive`);
    await screenshot(page, 'caseworker-record-consent');
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.waitForURL(`**/#/cases/${caseId}`);

    await page.getByRole('link', { name: 'Refer from suggestions' }).click();
    await page.getByRole('group', { name: 'What the referral would share' }).getByLabel('Safety and risks').check();
    await page.getByRole('button', { name: 'Find agencies' }).click();
    const shelter = page.getByRole('article', { name: SHELTER });
    await shelter.getByText('Consent covers what would be shared').waitFor();
    await expect(shelter.innerText()).resolves.toContain('Can take the referral now');
    await screenshot(page, 'caseworker-refer');
    await shelter.getByRole('button', { name: `Refer to ${SHELTER}` }).click();
    await page.waitForURL(`**/#/cases/${caseId}`);
    await page.getByRole('region', { name: 'Referrals' }).getByText('Waiting for an answer').waitFor();
    await screenshot(page, 'caseworker-case-page');

    const receiving = await signedIn('caseworker.shelter');
    await receiving.getByRole('link', { name: 'Referrals to my agency' }).click();
    await receiving.locator(`a[href^="#/referrals/${caseId}/"]`).click();
    await receiving.locator('li[data-category="identity"]').getByText(NAME).waitFor();
    const shared = () => receiving.locator('li[data-category]').evaluateAll((items) => items.map((li) => li.getAttribute('data-category')));
    await expect(shared()).resolves.toEqual(['identity', 'safety']);
    await expect(receiving.locator('li[data-category="safety"]').innerText()).resolves.toContain(PLAN);
    await receiving.getByRole('button', { name: 'Accept' }).click();
    await receiving.getByRole('button', { name: 'Mark as provided' }).waitFor();

    await page.getByRole('link', { name: 'Withdraw this consent' }).click();
    await page.getByRole('region', { name: 'What this will do' }).getByText('This referral relies on it').waitFor();
    await page.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await page.waitForURL(`**/#/cases/${caseId}`);

    await receiving.getByRole('button', { name: 'Reload' }).click();
    await receiving.locator('li[data-category="identity"]').getByText('Withdrawn: The person withdrew consent to share this').waitFor();
    await expect(receiving.locator('li[data-category="safety"]').innerText()).resolves.toContain('Withdrawn');
    await expect(receiving.locator('.facts').innerText()).resolves.toMatch(/Withdrawn/);
    await expect(receiving.locator('main').innerText()).resolves.not.toContain(NAME);

    const police = await signedIn('officer.police');
    await police.goto(`${screens.baseUrl}#/cases/${caseId}`);
    await police.getByText('Not found, or not shared with your agency.').waitFor();
    await police.getByRole('link', { name: 'Referrals to my agency' }).click();
    await police.getByRole('heading', { name: 'Referrals to my agency' }).waitFor();
    // The heading shows before the list has loaded: count the links once it has.
    await police.waitForFunction(screenSettled);
    await expect(police.locator(`a[href*="${caseId}"]`).count()).resolves.toBe(0);
    await expect(police.content()).resolves.not.toContain(NAME);
  });

  it('a double click on “Record consent” records the consent once', async () => {
    const caseId = await openCase(t, { person: { demographics: { sex: 'female', ageBand: '25-59' } } });
    const page = await signedIn('caseworker.social');
    await page.goto(`${screens.baseUrl}#/cases/${caseId}/consents/new`);
    await permitShelter(page, ['Identity (name, date of birth)']);
    await page.getByRole('button', { name: 'Record consent' }).dblclick();
    await page.waitForURL(`**/#/cases/${caseId}`);
    await page.getByRole('article').getByRole('row').filter({ hasText: SHELTER }).waitFor();
    await expect(eventsOf(caseId, 'ConsentGiven')).resolves.toHaveLength(1);
  });

  it('a child’s consent needs a guardian: without one the service’s reason shows at the guardian’s question and nothing is written', async () => {
    const caseId = await openCase(t, { ageGroup: 'child' });
    const page = await signedIn('caseworker.social');
    await page.goto(`${screens.baseUrl}#/cases/${caseId}/consents/new`);
    await page.getByText('This person is treated as a child').waitFor();
    await page.getByLabel('The person themself').check();
    await permitShelter(page, ['Identity (name, date of birth)']);
    await page.getByRole('button', { name: 'Record consent' }).click();

    const who = page.getByRole('group', { name: 'Who gives consent' });
    await expect(who.getByRole('alert').innerText()).resolves.toContain(
      "for a child, record a guardian's consent and whether the child assented",
    );
    await screenshot(page, 'caseworker-record-consent-child');
    await expect(eventsOf(caseId, 'ConsentGiven')).resolves.toHaveLength(0);

    await page.getByLabel('A guardian').check();
    await page.getByLabel('Yes, the child agreed').check();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.waitForURL(`**/#/cases/${caseId}`);
    await page.getByRole('article').getByText('by the guardian').waitFor();
  });

  /** A user signed in with the screens in French, chosen on the sign-in screen as a user does. */
  const signedInInFrench = async (username: string) => {
    const page = await screens.page();
    await page.goto(screens.baseUrl);
    await page.getByRole('button', { name: 'Français' }).click();
    await page.locator('html[lang="fr"]').waitFor({ state: 'attached' });
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(t.password);
    await page.locator('#password').press('Enter');
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    return page;
  };

  it('in French, the refer screen says in French why a man is not eligible with the women-only shelter', async () => {
    const caseId = await openCase(t, { person: { demographics: { sex: 'male', ageBand: '25-59', languages: ['ha'] } } });
    const page = await signedInInFrench('caseworker.social');
    await page.goto(`${screens.baseUrl}#/cases/${caseId}/refer`);
    const notEligible = page.getByRole('list', { name: 'Agences pour lesquelles la personne n’est pas éligible' });
    const shelter = notEligible.getByRole('listitem').filter({ hasText: SHELTER });
    await shelter.getByText('Non éligible : n’accepte que le sexe féminin').waitFor();
    await expect(shelter.innerText()).resolves.not.toContain('accepts female only');
    await screenshot(page, 'caseworker-refer-not-eligible-fr');
  });

  it('in French, a refusal reads in French, with the service’s own English words apart as details', async () => {
    const caseId = await openCase(t, { ageGroup: 'child' });
    const page = await signedInInFrench('caseworker.social');
    await page.goto(`${screens.baseUrl}#/cases/${caseId}/consents/new`);
    await page.getByLabel('La personne elle-même').check();
    await page.getByLabel('Agence', { exact: true }).selectOption({ label: SHELTER });
    await page.getByRole('group', { name: 'Services acceptés' }).getByLabel('Hébergement', { exact: true }).check();
    await page.getByRole('group', { name: 'Types d’informations' }).getByLabel('Identité (nom, date de naissance)').check();
    await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();

    const refused = page.getByRole('group', { name: 'Qui donne son consentement' }).getByRole('alert');
    await refused.getByText('Une règle du service refuse cette action. Rien n’a été enregistré.').waitFor();
    await expect(refused.locator('.problem-detail').innerText()).resolves.toBe(
      "Détails donnés par le service (en anglais) : for a child, record a guardian's consent and whether the child assented",
    );
    await screenshot(page, 'caseworker-refusal-fr');
    await expect(eventsOf(caseId, 'ConsentGiven')).resolves.toHaveLength(0);
  });

  it('an action on a case someone else changed meanwhile is refused with a reload offered, and works after the reload', async () => {
    const caseId = await openCase(t);
    const page = await signedIn('caseworker.social');
    await casePage(page, caseId);
    await posted(t, 200, `/cases/${caseId}/safety-flags`, { flag: 'no_phone_contact' });

    await page.getByRole('button', { name: 'Pause the case' }).click();
    const refused = page.getByRole('form', { name: 'Pause the case' }).getByRole('alert');
    await refused.getByText('Someone else changed this in the meantime').waitFor();
    await screenshot(page, 'caseworker-conflict');
    await expect(eventsOf(caseId, 'CaseInterrupted')).resolves.toHaveLength(0);
    await refused.getByRole('button', { name: 'Reload' }).click();

    await page.getByRole('region', { name: 'Safety flags' }).getByText('Do not contact by phone').waitFor();
    await page.getByRole('button', { name: 'Pause the case' }).click();
    await page.getByRole('button', { name: 'Resume the case' }).waitFor();
    await expect(eventsOf(caseId, 'CaseInterrupted')).resolves.toHaveLength(1);
  });

  it('with the connection lost, a new case is not sent, what was typed stays, and it is sent once the connection is back', async () => {
    const page = await signedIn('caseworker.social');
    await page.goto(`${screens.baseUrl}#/cases/new`);
    await page.getByLabel('Full name (optional)').fill(NAME);
    await page.getByLabel('Area or camp (optional, no more precise than needed)').fill('Bakassi camp');
    const before = await caseOpenings();

    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Open the case' }).click();
    await page.getByRole('alert').getByText('The connection was lost: the action was not sent').waitFor();
    await expect(page.getByLabel('Full name (optional)').inputValue()).resolves.toBe(NAME);
    await screenshot(page, 'caseworker-offline');

    await page.context().setOffline(false);
    await page.getByRole('button', { name: 'Open the case' }).click();
    await page.waitForURL(/#\/cases\/[0-9a-f-]{36}$/);
    await page.getByRole('region', { name: 'The person' }).getByText(NAME).waitFor();
    await expect(caseOpenings()).resolves.toBe(before + 1);
  });

  it('pausing, resuming, closing and reopening the case from its page, each offered when the status allows it', async () => {
    const caseId = await openCase(t);
    const page = await signedIn('caseworker.social');
    await casePage(page, caseId);
    await page.getByLabel('Why pause').selectOption('declined_assistance');
    await page.getByRole('button', { name: 'Pause the case' }).click();
    await page.getByRole('button', { name: 'Resume the case' }).click();
    await page.getByRole('button', { name: 'Pause the case' }).waitFor();
    await page.getByRole('button', { name: 'Close the case' }).click();
    await page.getByRole('button', { name: 'Reopen the case' }).click();
    await page.getByRole('button', { name: 'Close the case' }).waitFor();
    const types = (await allEvents(t.store)).filter((e) => e.streamId === `case-${caseId}`).map((e) => e.type);
    expect(types).toEqual(['CaseOpened', 'CaseInterrupted', 'CaseResumed', 'CaseClosed', 'CaseReopened']);
  });

  it('a safety flag raised on the case page shows there and can be lifted', async () => {
    const caseId = await openCase(t);
    const page = await signedIn('caseworker.social');
    await casePage(page, caseId);
    const flags = page.getByRole('region', { name: 'Safety flags' });
    await flags.getByLabel('Flag to raise').selectOption('location_must_not_be_shared');
    await flags.getByRole('button', { name: 'Raise flag' }).click();
    await flags.getByRole('button', { name: 'Lift: Where the person is must not be shared' }).click();
    await page.getByRole('region', { name: 'Safety flags' }).getByText('No safety flag raised.').waitFor();
    await expect(eventsOf(caseId, 'SafetyFlagLifted')).resolves.toHaveLength(1);
  });

  it('the consent receipt reads in plain words, ready to print or download', async () => {
    const caseId = await openCase(t);
    const { consentId } = await posted(t, 201, `/cases/${caseId}/consents`, {
      grantor: 'person',
      method: 'verbal',
      language: 'fr',
      interpreterUsed: false,
      noticeVersion: 'n1',
      provisions: [
        { recipient: { agencyKind: 'shelter' }, purpose: 'service_provision', serviceTypes: ['shelter'], categories: ['identity'] },
      ],
    });
    const page = await signedIn('caseworker.social');
    await casePage(page, caseId);
    await page.getByRole('link', { name: 'Consent receipt' }).click();
    const text = await page.locator('.receipt-text').innerText();
    const plain = (
      await t.http
        .get(`/cases/${caseId}/consents/${consentId}/receipt.txt`)
        .set('Authorization', `Bearer ${await t.token('caseworker.social')}`)
    ).text;
    expect(text.trim()).toBe(plain.trim());
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the signed receipt (JWS)' }).click();
    expect((await download).suggestedFilename()).toBe(`consent-receipt-${consentId}.jws`);
    await screenshot(page, 'caseworker-receipt');
  });
});
