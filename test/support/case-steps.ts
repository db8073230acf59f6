import type { SharedTestApp } from './test-app.js';

/**
 * Small steps that take a fresh case to the state a test starts from, over HTTP as a user would, so
 * that no test relies on a case another test opened, consented or referred.
 */

type Body = Record<string, unknown>;

/** A person's consent as the owning agency records it; `provisions` say who may receive what, for which purpose. */
export const consentBody = (provisions: readonly Body[], overrides: Body = {}): Body => ({
  grantor: 'person',
  method: 'verbal',
  language: 'en',
  interpreterUsed: false,
  noticeVersion: 'n1',
  provisions,
  ...overrides,
});

/** Opens a case as `username` (a caseworker of the demo Social Development agency unless told) and returns its id. */
export async function openCase(t: SharedTestApp, body: Body = {}, username = 'caseworker.social'): Promise<string> {
  const opened = await t.http
    .post('/cases')
    .set(await t.bearer(username))
    .send({ source: 'hotline', ageGroup: 'adult', indicators: [], ...body })
    .expect(201);
  return opened.body.caseId;
}

/** Records a consent on the case and returns what the service answered (consentId, provisionIds, revision). */
export async function giveConsent(t: SharedTestApp, caseId: string, body: Body, username = 'caseworker.social') {
  const given = await t.http
    .post(`/cases/${caseId}/consents`)
    .set(await t.bearer(username))
    .send(body)
    .expect(201);
  return given.body as { consentId: string; provisionIds: string[]; revision: number };
}

/** Requests a referral that consent already covers and returns its id. */
export async function refer(t: SharedTestApp, caseId: string, body: Body, username = 'caseworker.social'): Promise<string> {
  const referred = await t.http
    .post(`/cases/${caseId}/referrals`)
    .set(await t.bearer(username))
    .send(body)
    .expect(201);
  return referred.body.referralId;
}
