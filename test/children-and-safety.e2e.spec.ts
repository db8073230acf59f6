import { beforeAll, describe, expect, it } from '@jest/globals';
import { openCase, post, posted, read, refer } from './support/case-steps.js';
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
    const determinationId = (await posted(t, 201, `/cases/${caseId}/best-interests-determinations`, { scope: scope(), reasons: REASONS }))
      .determinationId as string;
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
    const refused = await post(t, `/cases/${caseId}/referrals`, { toAgencyId: shelterId, ...referral });
    expect(refused.status).toBe(422);
    expect(await streamLength(caseId)).toBe(before);
  });

  it('refuses a determination approved by its own author (403), and a caseworker approving at all', async () => {
    const { caseId, determinationId } = await childCaseWithProposal();
    const own = (
      await posted(t, 201, `/cases/${caseId}/best-interests-determinations`, { scope: scope(), reasons: REASONS }, 'supervisor.social')
    ).determinationId;
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
    const view = await read(t, `/cases/${caseId}`, 'caseworker.shelter');
    expect(view.personalData).toEqual(CHILD);
    const owner = await read(t, `/cases/${caseId}`, 'supervisor.social');
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
    const view = await read(t, `/cases/${caseId}`, 'caseworker.shelter');
    expect(view.personalData).toEqual({});
    // Told only that sharing was narrowed, exactly as for a consent withdrawal: nothing names a flag.
    expect(view.withdrawn).toContainEqual(expect.objectContaining({ category: 'location', reason: 'withdrawn' }));
    expect(view.referrals).toEqual([expect.objectContaining({ referralId, status: 'withdrawn', withdrawalCause: 'sharing_narrowed' })]);
    const inbox = (await read(t, '/referrals', 'caseworker.shelter')).items;
    for (const body of [view, inbox]) expect(JSON.stringify(body)).not.toMatch(/location_must_not_be_shared|safety_flag|flag/);
    expect(JSON.stringify(view)).not.toContain(CHILD.location.area);
    const problem = await post(t, `/cases/${caseId}/safety-flags`, { flag: 'not_a_flag' });
    expect(problem.status).toBe(400);
    expect((await post(t, `/cases/${caseId}/safety-flags`, { flag: 'no_phone_contact' }, 'caseworker.shelter')).status).toBe(403); // only the owning agency flags its case
  });
});
