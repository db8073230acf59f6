import { beforeAll, describe, expect, it } from '@jest/globals';
import { ProjectionRunner } from '../libs/projections/index.js';
import { RetentionService } from '../src/cases/retention.js';
import { erasureInterruptedBeforeKeyDestruction, firstSignIn, liveDataKey, read, referredCase } from './support/case-steps.js';
import { APP_DRIVERS, allEvents, emptyReadModels, useTestApp } from './support/test-app.js';

const PERSON = { identity: { fullName: 'Erasable Test-Person' }, location: { area: 'Fictional Erasure Camp' } };

describe.each(APP_DRIVERS)('erasure and retention (%s)', (driver) => {
  const t = useTestApp({ driver, settings: { RETENTION_DAYS: '1' } });
  let shelterId: string;
  /** A second supervisor of the owning agency, to approve what the first requested. */
  let secondSupervisor: string;

  const openReferredCase = async () =>
    (await referredCase(t, shelterId, { person: PERSON, referral: { note: 'a note about Erasable' } })).caseId;
  const noPersonalData = (body: unknown) => {
    for (const value of ['Erasable', 'Fictional Erasure Camp']) expect(JSON.stringify(body)).not.toContain(value);
  };

  /** A referred case whose erasure a supervisor requested at the person's wish. */
  const erasureRequested = async () => {
    const caseId = await openReferredCase();
    const requestId = (
      await t.http
        .post(`/cases/${caseId}/erasure-requests`)
        .set(await t.bearer('supervisor.social'))
        .send({ reason: 'person_requested' })
        .expect(201)
    ).body.requestId as string;
    return { caseId, requestId };
  };
  const decideAsSecondSupervisor = (decision: 'approval' | 'rejection', caseId: string, requestId: string) =>
    t.http
      .post(`/cases/${caseId}/erasure-requests/${requestId}/${decision}`)
      .set('Authorization', `Bearer ${secondSupervisor}`)
      .expect(200);
  const approveAsSecondSupervisor = (caseId: string, requestId: string) => decideAsSecondSupervisor('approval', caseId, requestId);
  const dataKey = async (caseId: string) =>
    (
      await t.db.query<{ wrapped_key: string; destroyed_at: unknown }>(
        'SELECT wrapped_key, destroyed_at FROM case_data_keys WHERE case_id = $1',
        [caseId],
      )
    )[0];
  const waitingApproval = async (requestId: string) =>
    ((await read(t, '/approvals', 'supervisor.social')).items as Array<{ kind: string; id: string }>).filter(
      (item) => item.id === requestId,
    );

  beforeAll(async () => {
    shelterId = await t.agencyId('Shelter');
    const created = (
      await t.http
        .post('/agency/users')
        .set(await t.bearer('admin.social'))
        .send({ username: 'supervisor.two', displayName: 'Second supervisor', role: 'supervisor' })
        .expect(201)
    ).body;
    secondSupervisor = await firstSignIn(t, 'supervisor.two', created.initialPassword);
  });

  it('is requested by a supervisor and refused to the requester as approver (403), writing nothing', async () => {
    const { caseId, requestId } = await erasureRequested();
    const before = (await allEvents(t.store)).length;
    expect(
      (await t.http.post(`/cases/${caseId}/erasure-requests/${requestId}/approval`).set(await t.bearer('supervisor.social'))).status,
    ).toBe(403);
    expect(
      (await t.http.post(`/cases/${caseId}/erasure-requests/${requestId}/approval`).set(await t.bearer('caseworker.social'))).status,
    ).toBe(403);
    // Not the agency admin: one who creates supervisor accounts could otherwise erase alone.
    expect((await t.http.post(`/cases/${caseId}/erasure-requests/${requestId}/approval`).set(await t.bearer('admin.social'))).status).toBe(
      403,
    );
    expect((await allEvents(t.store)).length).toBe(before);
  });

  it("on a second person's approval destroys the case's key; every view loses the personal data, the referral is withdrawn", async () => {
    const { caseId, requestId } = await erasureRequested();
    expect((await read(t, `/cases/${caseId}`, 'caseworker.shelter')).personalData).toEqual({ identity: PERSON.identity });
    const approved = await approveAsSecondSupervisor(caseId, requestId);
    expect(approved.body.withdrawnReferrals).toHaveLength(1);
    expect(await dataKey(caseId)).toMatchObject({ wrapped_key: '', destroyed_at: expect.anything() });
    const owner = await read(t, `/cases/${caseId}`, 'caseworker.social');
    expect(owner).toMatchObject({ erased: true, personalData: {}, indicators: [], safetyFlags: [] });
    noPersonalData(owner);
    const shelter = await read(t, `/cases/${caseId}`, 'caseworker.shelter');
    expect(shelter).toMatchObject({
      erased: true,
      personalData: {},
      referrals: [expect.objectContaining({ status: 'withdrawn', withdrawalCause: 'case_erased' })],
    });
    noPersonalData(shelter);
    expect((await t.http.post(`/cases/${caseId}/resumption`).set(await t.bearer('caseworker.social'))).status).toBe(409);
  });

  it("waits in the owning agency's approvals (GET /approvals) until it is approved", async () => {
    const { caseId, requestId } = await erasureRequested();
    await expect(waitingApproval(requestId)).resolves.toEqual([
      expect.objectContaining({ kind: 'erasure_request', caseId, proposedAt: expect.any(String) }),
    ]);
    await approveAsSecondSupervisor(caseId, requestId);
    await expect(waitingApproval(requestId)).resolves.toEqual([]);
  });

  it("on a colleague's rejection keeps the case's data and key, and leaves GET /approvals", async () => {
    const { caseId, requestId } = await erasureRequested();
    const keyBefore = await dataKey(caseId);
    expect((await decideAsSecondSupervisor('rejection', caseId, requestId)).body).toMatchObject({ caseId, requestId, status: 'rejected' });
    const owner = await read(t, `/cases/${caseId}`, 'caseworker.social');
    expect(owner).toMatchObject({
      personalData: PERSON,
      timeline: expect.arrayContaining([expect.objectContaining({ type: 'ErasureRequestRejected' })]),
    });
    expect({ erased: owner.erased, erasureRequest: owner.erasureRequest }).toEqual({ erased: undefined, erasureRequest: undefined });
    expect(await dataKey(caseId)).toEqual(keyBefore);
    expect(keyBefore).toMatchObject({ wrapped_key: expect.stringMatching(/.+/), destroyed_at: null });
    await expect(waitingApproval(requestId)).resolves.toEqual([]);
  });

  it('is refused to the requester as rejecter (403), saying a second person must decide, writing nothing', async () => {
    const { caseId, requestId } = await erasureRequested();
    const before = (await allEvents(t.store)).length;
    const refused = await t.http.post(`/cases/${caseId}/erasure-requests/${requestId}/rejection`).set(await t.bearer('supervisor.social'));
    expect({ status: refused.status, detail: refused.body.detail }).toEqual({
      status: 403,
      detail: 'erasure needs a second person: the requester cannot reject it',
    });
    expect((await allEvents(t.store)).length).toBe(before);
    expect((await read(t, `/cases/${caseId}`, 'caseworker.social')).erasureRequest).toMatchObject({ requestId });
  });

  it.each([
    ['the read models had shown it erased', undefined],
    ['its event was still after the read models’ checkpoint (found by type in the store)', emptyReadModels],
  ])('finishes at the next start an erasure interrupted before its key was destroyed, when %s', async (_, beforeStart) => {
    const { caseId, requestId } = await erasureRequested();
    const approval = await erasureInterruptedBeforeKeyDestruction(t, caseId, requestId, 'coordinator.justice');
    expect(approval.status).toBe(500);
    expect(await liveDataKey(t.db, caseId)).toBe(true);
    await t.restart({ beforeStart });
    expect(await liveDataKey(t.db, caseId)).toBe(false);
    const owner = await read(t, `/cases/${caseId}`, 'caseworker.social');
    expect(owner).toMatchObject({ erased: true, personalData: {} });
    noPersonalData(owner);
  });

  it('stays erased after a rebuild, while the audit trail keeps its metadata and still verifies', async () => {
    const { caseId, requestId } = await erasureRequested();
    await approveAsSecondSupervisor(caseId, requestId);
    await t.app.get(ProjectionRunner).rebuild();
    const owner = await read(t, `/cases/${caseId}`, 'caseworker.social');
    expect(owner).toMatchObject({ erased: true, personalData: {} });
    noPersonalData(owner);
    const asAuditor = await t.bearer('auditor.justice');
    const trail = (await t.http.get(`/audit/cases/${caseId}/consent-trail`).set(asAuditor).expect(200)).body as Array<{ type: string }>;
    expect(trail.map((e) => e.type)).toEqual(expect.arrayContaining(['ConsentGiven', 'ErasureRequested', 'CaseErased']));
    noPersonalData(trail);
    expect((await t.http.get('/audit/verify').set(asAuditor).expect(200)).body.verified).toBe(true);
    const fhir = (await t.http.get(`/audit/cases/${caseId}/fhir/consents`).set(asAuditor).expect(200)).body as {
      entry: Array<{ resource: { resourceType: string; status?: string } }>;
    };
    expect(fhir.entry.filter((e) => e.resource.resourceType === 'Consent').map((e) => e.resource.status)).toEqual(['inactive']);
  });

  it('may be approved by a network coordinator from another agency', async () => {
    const other = await openReferredCase();
    const rid = (
      await t.http
        .post(`/cases/${other}/erasure-requests`)
        .set(await t.bearer('supervisor.social'))
        .send({ reason: 'no_longer_needed' })
        .expect(201)
    ).body.requestId;
    await t.http
      .post(`/cases/${other}/erasure-requests/${rid}/approval`)
      .set(await t.bearer('coordinator.justice'))
      .expect(200);
    expect((await read(t, `/cases/${other}`, 'caseworker.social')).erased).toBe(true);
  });

  it('erases closed cases after the retention period, listing them first in a dry run', async () => {
    const closing = await openReferredCase();
    await t.http
      .post(`/cases/${closing}/closure`)
      .set(await t.bearer('caseworker.social'))
      .send({ reason: 'services_completed' })
      .expect(200);
    const open = await openReferredCase();
    const retention = t.app.get(RetentionService);
    expect(await retention.run({ apply: true })).toEqual([]); // closed today: within the one-day period
    const twoDaysOn = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const listed = await retention.run({ apply: false, at: twoDaysOn });
    expect(listed.map((c) => c.caseId)).toEqual([closing]);
    expect((await read(t, `/cases/${closing}`, 'caseworker.social')).erased).toBeUndefined();
    expect((await retention.run({ apply: true, at: twoDaysOn })).map((c) => c.caseId)).toEqual([closing]);
    expect(await read(t, `/cases/${closing}`, 'caseworker.social')).toMatchObject({ erased: true, personalData: {} });
    expect((await read(t, `/cases/${open}`, 'caseworker.social')).personalData).toEqual(PERSON);
    expect(await retention.run({ apply: false, at: twoDaysOn })).toEqual([]);
  });
});
