import { describe, expect, it } from '@jest/globals';
import { post, posted, referredCase } from './support/case-steps.js';
import { allEvents, useTestApp } from './support/test-app.js';

/** POST /cases/:id/consents/:consentId/withdrawal-preview: what a withdrawal would take with it, written nowhere. */
describe('withdrawal preview', () => {
  const t = useTestApp();

  it('names the referrals a whole withdrawal would withdraw, and writes nothing', async () => {
    const { caseId, consentId, referralId } = await referredCase(t, await t.agencyId('Shelter'));
    const before = (await allEvents(t.store)).length;
    const preview = await posted(t, 200, `/cases/${caseId}/consents/${consentId}/withdrawal-preview`, {});
    expect(preview).toEqual({ withdrawnReferrals: [referralId] });
    expect(await allEvents(t.store)).toHaveLength(before);
  });

  it('agrees with the withdrawal itself', async () => {
    const { caseId, consentId } = await referredCase(t, await t.agencyId('Shelter'));
    const preview = await posted(t, 200, `/cases/${caseId}/consents/${consentId}/withdrawal-preview`, {});
    const withdrawn = await posted(t, 200, `/cases/${caseId}/consents/${consentId}/withdrawal`, {});
    expect(withdrawn.withdrawnReferrals).toEqual(preview.withdrawnReferrals);
  });

  it('answers a receiving agency as the withdrawal itself does, a problem, and writes nothing', async () => {
    const { caseId, consentId } = await referredCase(t, await t.agencyId('Shelter'));
    const before = (await allEvents(t.store)).length;
    const preview = await post(t, `/cases/${caseId}/consents/${consentId}/withdrawal-preview`, {}, 'caseworker.shelter');
    const withdrawal = await post(t, `/cases/${caseId}/consents/${consentId}/withdrawal`, {}, 'caseworker.shelter');
    expect(preview.status).toBeGreaterThanOrEqual(400);
    expect([preview.status, preview.body.detail]).toEqual([withdrawal.status, withdrawal.body.detail]);
    expect(preview.headers['content-type']).toContain('application/problem+json');
    expect(await allEvents(t.store)).toHaveLength(before);
  });

  it('is refused to an auditor, whose role may not withdraw consent', async () => {
    const { caseId, consentId } = await referredCase(t, await t.agencyId('Shelter'));
    const answer = await post(t, `/cases/${caseId}/consents/${consentId}/withdrawal-preview`, {}, 'auditor.justice');
    expect(answer.status).toBe(403);
  });

  it('refuses provision ids that are not a list of uuids, with a problem naming the field', async () => {
    const { caseId, consentId } = await referredCase(t, await t.agencyId('Shelter'));
    const answer = await post(t, `/cases/${caseId}/consents/${consentId}/withdrawal-preview`, { provisionIds: ['x'] });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.join(' ')).toContain('provisionIds');
  });
});
