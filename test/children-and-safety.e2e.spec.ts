import { beforeAll, describe, expect, it } from '@jest/globals';
import { openCase, refer } from './support/case-steps.js';
import { APP_DRIVERS, useTestApp } from './support/test-app.js';

const CHILD = { identity: { fullName: 'Hauwa Fictional-Child' }, location: { area: 'Fictional Transit Camp 3' } };
const REASONS = 'Guardian cannot be reached; the shelter has a child-safe wing.';

describe.each(APP_DRIVERS)("a child's case: best-interests determination and safety flags, over HTTP (%s)", (driver) => {
  const t = useTestApp({ driver });
  let shelterId: string;
  const streamLength = async (caseId: string) => (await t.store.readStream(`case-${caseId}`)).length;

  beforeAll(async () => {
    shelterId = await t.agencyId('Shelter');
  });

  const scope = () => [
    {
      recipient: { agencyId: shelterId },
      purpose: 'service_provision',
      serviceTypes: ['shelter'],
      categories: ['identity', 'location'],
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
  ];
  const referral = { purpose: 'service_provision', serviceType: 'shelter', sharedCategories: ['identity', 'location'] };
  /** A child's case with a determination a caseworker proposed, not yet approved. */
  const childCaseWithProposal = async () => {
    const caseId = await openCase(t, { source: 'referral_in', ageGroup: 'child', indicators: ['work.forced_to_work'], person: CHILD });
    const determinationId = (
      await t.http
        .post(`/cases/${caseId}/best-interests-determinations`)
        .set(await t.bearer('caseworker.social'))
        .send({ scope: scope(), reasons: REASONS })
        .expect(201)
    ).body.determinationId as string;
    return { caseId, determinationId };
  };
  const approve = async (caseId: string, determinationId: string) =>
    t.http
      .post(`/cases/${caseId}/best-interests-determinations/${determinationId}/approval`)
      .set(await t.bearer('supervisor.social'))
      .expect(200);

  it('shares nothing of a child on a proposed determination alone', async () => {
    const { caseId } = await childCaseWithProposal();
    const before = await streamLength(caseId);
    const refused = await t.http
      .post(`/cases/${caseId}/referrals`)
      .set(await t.bearer('caseworker.social'))
      .send({ toAgencyId: shelterId, ...referral });
    expect(refused.status).toBe(422);
    expect(await streamLength(caseId)).toBe(before);
  });

  it('refuses a determination approved by its own author (403), and a caseworker approving at all', async () => {
    const { caseId, determinationId } = await childCaseWithProposal();
    const own = (
      await t.http
        .post(`/cases/${caseId}/best-interests-determinations`)
        .set(await t.bearer('supervisor.social'))
        .send({ scope: scope(), reasons: REASONS })
        .expect(201)
    ).body.determinationId;
    const before = await streamLength(caseId);
    const selfApproved = await t.http
      .post(`/cases/${caseId}/best-interests-determinations/${own}/approval`)
      .set(await t.bearer('supervisor.social'));
    expect(selfApproved.status).toBe(403);
    expect(selfApproved.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(
      (
        await t.http
          .post(`/cases/${caseId}/best-interests-determinations/${determinationId}/approval`)
          .set(await t.bearer('caseworker.social'))
      ).status,
    ).toBe(403);
    expect(await streamLength(caseId)).toBe(before);
  });

  it('lets the child be referred within the scope once a different supervisor approved it', async () => {
    const { caseId, determinationId } = await childCaseWithProposal();
    await approve(caseId, determinationId);
    await refer(t, caseId, { toAgencyId: shelterId, ...referral });
    const view = (
      await t.http
        .get(`/cases/${caseId}`)
        .set(await t.bearer('caseworker.shelter'))
        .expect(200)
    ).body;
    expect(view.personalData).toEqual(CHILD);
    const owner = (
      await t.http
        .get(`/cases/${caseId}`)
        .set(await t.bearer('supervisor.social'))
        .expect(200)
    ).body;
    expect(owner.determinations).toContainEqual(expect.objectContaining({ determinationId, status: 'approved', reasons: REASONS }));
    expect(JSON.stringify(view)).not.toContain(REASONS);
  });

  it('narrows what the shelter sees when a safety flag is raised, without telling it a flag did it', async () => {
    const { caseId, determinationId } = await childCaseWithProposal();
    await approve(caseId, determinationId);
    const referralId = await refer(t, caseId, { toAgencyId: shelterId, ...referral });
    const raised = await t.http
      .post(`/cases/${caseId}/safety-flags`)
      .set(await t.bearer('caseworker.social'))
      .send({ flag: 'location_must_not_be_shared' })
      .expect(200);
    expect(raised.body.withdrawnReferrals).toEqual([referralId]); // it shared location, which the flag now withholds
    const view = (
      await t.http
        .get(`/cases/${caseId}`)
        .set(await t.bearer('caseworker.shelter'))
        .expect(200)
    ).body;
    expect(view.personalData).toEqual({});
    // Told only that sharing was narrowed, exactly as for a consent withdrawal: nothing names a flag.
    expect(view.withdrawn).toContainEqual(expect.objectContaining({ category: 'location', reason: 'withdrawn' }));
    expect(view.referrals).toEqual([expect.objectContaining({ referralId, status: 'withdrawn', withdrawalCause: 'sharing_narrowed' })]);
    const inbox = (
      await t.http
        .get('/referrals')
        .set(await t.bearer('caseworker.shelter'))
        .expect(200)
    ).body.items;
    for (const body of [view, inbox]) expect(JSON.stringify(body)).not.toMatch(/location_must_not_be_shared|safety_flag|flag/);
    expect(JSON.stringify(view)).not.toContain(CHILD.location.area);
    const problem = await t.http
      .post(`/cases/${caseId}/safety-flags`)
      .set(await t.bearer('caseworker.social'))
      .send({ flag: 'not_a_flag' });
    expect(problem.status).toBe(400);
    expect(
      (
        await t.http
          .post(`/cases/${caseId}/safety-flags`)
          .set(await t.bearer('caseworker.shelter'))
          .send({ flag: 'no_phone_contact' })
      ).status,
    ).toBe(403); // only the owning agency flags its case
  });
});
