import { describe, expect, it } from '@jest/globals';
import { useServedScreens } from './support/browser.js';
import { consentBody, giveConsent, openCase, posted, provision, read, refer } from './support/case-steps.js';
import { allEvents } from './support/test-app.js';

/**
 * What follows a referral on the screens, in Debian's Chromium against the real service on PGlite:
 * the interviewing agency's finding, a new referral after a decline, the intake's caseworker, and
 * a form's typed text kept across someone else's change.
 */
const SAFETY_PLAN = 'Meet only at the clinic on market days';
const PAUSE_NOTE = 'Moved with her aunt; do not call the old number';
const CLINIC = 'Maiduguri Road Community Clinic (demo)';

describe('following up a referral in a real browser', () => {
  const screens = useServedScreens();
  const { t, signedIn } = screens;

  it('the agency that accepted an in-depth interview records what it found on the referral page, and the page then shows it', async () => {
    const social = await t.agencyId('Social');
    const caseId = await openCase(t, {}, 'caseworker.ngo');
    await giveConsent(t, caseId, consentBody([provision(social, 'in_depth_interview')]), 'caseworker.ngo');
    await posted(t, 201, `/cases/${caseId}/screening`, { outcome: 'indicators_confirmed' }, 'caseworker.ngo');
    const body = { toAgencyId: social, purpose: 'service_provision', serviceType: 'in_depth_interview', sharedCategories: ['identity'] };
    const referralId = await refer(t, caseId, body, 'caseworker.ngo');
    await posted(t, 200, `/cases/${caseId}/referrals/${referralId}/accept`, {}, 'caseworker.social');

    const page = await signedIn('caseworker.social');
    await page.goto(`${screens.baseUrl}#/referrals/${caseId}/${referralId}`);
    const finding = page.getByRole('region', { name: 'Outcome of the in-depth interview' });
    await finding.getByText('Not recorded yet.').waitFor();
    await finding.getByLabel('What the interview found').selectOption('inconclusive');
    await finding.getByRole('button', { name: 'Record the outcome' }).click();

    await finding.getByText('Recorded: Inconclusive.').waitFor();
    const recorded = (await allEvents(t.store)).filter(
      (e) => e.type === 'IdentificationRecorded' && (e.data as { referralId?: string }).referralId === referralId,
    );
    expect(recorded.map((e) => (e.data as { outcome: string }).outcome)).toEqual(['inconclusive']);
  });

  it('after a decline the owner refers the same need to another agency from the suggestions, and the declined one is not offered again', async () => {
    const [social, clinic] = [await t.agencyId('Social'), await t.agencyId('Clinic')];
    const caseId = await openCase(t, {}, 'caseworker.ngo');
    await giveConsent(t, caseId, consentBody([provision(social, 'mhpss'), provision(clinic, 'mhpss')]), 'caseworker.ngo');
    const body = { toAgencyId: social, purpose: 'service_provision', serviceType: 'mhpss', sharedCategories: ['identity'] };
    const declinedId = await refer(t, caseId, body, 'caseworker.ngo');
    await posted(t, 200, `/cases/${caseId}/referrals/${declinedId}/decline`, { reason: 'no_capacity' }, 'caseworker.social');

    const page = await signedIn('caseworker.ngo');
    await page.goto(`${screens.baseUrl}#/cases/${caseId}`);
    await page.getByRole('region', { name: 'Referrals' }).getByRole('link', { name: 'Refer to another agency' }).click();
    await page.getByText('The same need as the declined referral: Mental health and psychosocial support.').waitFor();
    const theClinic = page.getByRole('article', { name: CLINIC });
    await theClinic.getByText('Consent covers what would be shared').waitFor();
    await expect(page.getByRole('article').count()).resolves.toBe(1);
    await theClinic.getByRole('button', { name: `Refer to ${CLINIC}` }).click();

    await page.waitForURL(`**/#/cases/${caseId}`);
    await page
      .getByRole('region', { name: 'Referrals' })
      .getByRole('row')
      .filter({ hasText: CLINIC })
      .getByText('Waiting for an answer')
      .waitFor();
    const again = (await allEvents(t.store)).filter(
      (e) => e.type === 'ReferralRequested' && (e.data as { reReferralOf?: string }).reReferralOf === declinedId,
    );
    expect(again.map((e) => (e.data as { toAgencyId: string }).toAgencyId)).toEqual([clinic]);
  });

  it('after a 412 the case reloads without losing what was typed in its forms, and the refused action then goes through', async () => {
    const caseId = await openCase(t);
    const page = await signedIn('caseworker.social');
    await page.goto(`${screens.baseUrl}#/cases/${caseId}`);
    await page.getByText('Safety assessment').click();
    const safety = page.getByRole('form', { name: 'Safety assessment' });
    await safety.getByLabel('Risks to the person and staff, and the safety plan').fill(SAFETY_PLAN);
    const pause = page.getByRole('form', { name: 'Pause the case' });
    await pause.getByLabel('Safety note (not a search lead)').fill(PAUSE_NOTE);

    // A colleague changes the case meanwhile: the page's revision is now behind.
    await posted(t, 201, `/cases/${caseId}/screening`, { outcome: 'indicators_confirmed' });
    await pause.getByRole('button', { name: 'Pause the case' }).click();
    await pause.getByRole('button', { name: 'Reload' }).click();
    await page.getByText(/Screening · Recorded/).waitFor();

    await expect(safety.getByLabel('Risks to the person and staff, and the safety plan').inputValue()).resolves.toBe(SAFETY_PLAN);
    await expect(pause.getByLabel('Safety note (not a search lead)').inputValue()).resolves.toBe(PAUSE_NOTE);
    await pause.getByRole('button', { name: 'Pause the case' }).click();
    await page.getByRole('button', { name: 'Resume the case' }).waitFor();
    const paused = (await allEvents(t.store)).filter((e) => e.type === 'CaseInterrupted' && e.streamId.includes(caseId));
    expect(paused).toHaveLength(1);
  });

  it("a supervisor gives the case at intake to one of the agency's caseworkers, chosen by name", async () => {
    const caseId = await openCase(t);
    const staff = (await read(t, '/agency/case-staff', 'supervisor.social')) as Array<{ id: string; displayName: string; role: string }>;
    const chosen = staff.find((s) => s.role === 'caseworker')!;
    const page = await signedIn('supervisor.social');
    await page.goto(`${screens.baseUrl}#/cases/${caseId}`);
    await page.getByText(/^Intake/).click();
    const intake = page.getByRole('form', { name: 'Intake' });
    await intake.getByLabel('Caseworker who manages the case from now on').selectOption({ label: chosen.displayName });
    await intake.getByRole('button', { name: 'Record the intake' }).click();

    await page.getByText(/Intake · Recorded/).waitFor();
    const recorded = (await allEvents(t.store)).filter((e) => e.type === 'IntakeRecorded' && e.streamId.includes(caseId));
    expect(recorded.map((e) => (e.data as { caseworkerId: string }).caseworkerId)).toEqual([chosen.id]);
  });
});
