import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { AGENCY_READER_ROLE } from '../src/platform/agency-scope.js';
import { consentBody, giveConsent, openCase, post, posted, read, refer } from './support/case-steps.js';
import { APP_DRIVERS, type SharedTestApp, allEvents, eventually, useTestApp } from './support/test-app.js';

const PERSON = {
  identity: { fullName: 'Amina Test-Person', otherNames: ['Ami Fictional'], dateOfBirth: '2001-04-09' },
  contact: { phone: '+234 800 000 0000', safeToContact: false, safeContactNotes: "only through the camp women's committee" },
  location: { area: 'Fictional Camp 7, Demo LGA' },
  demographics: { sex: 'female', ageBand: '18-24', languages: ['ha', 'kr'] },
};
const NOTE = 'Needs a women-only space; prefers a Kanuri speaker.';
const PERSONAL_VALUES = ['Amina Test-Person', 'Ami Fictional', '+234 800 000 0000', 'Fictional Camp 7', 'women-only space', 'camp women'];

function expectProblem(response: Response, status: number, detail?: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    status,
    title: expect.any(String),
    type: expect.stringMatching(/^https:\/\/referrals\.example\.org\/problems\/[a-z-]+$/),
  });
  if (detail) expect(response.body.detail).toMatch(detail);
}

/** The shelter's consent of this story: shelter service, identity and safety, given in Hausa through an interpreter. */
const shelterConsent = (shelterId: string) =>
  consentBody(
    [{ recipient: { agencyId: shelterId }, purpose: 'service_provision', serviceTypes: ['shelter'], categories: ['identity', 'safety'] }],
    { language: 'ha', interpreterUsed: true, noticeVersion: 'notice-2026-01' },
  );
const SHELTER_REFERRAL = { purpose: 'service_provision', serviceType: 'shelter', sharedCategories: ['identity', 'safety'] };

/** A case opened on observation with the person's data, as the story's first step. */
const openPersonsCase = (t: SharedTestApp) =>
  openCase(t, {
    source: 'observation',
    indicators: ['work.forced_to_work', 'control.no_control_of_documents'],
    ageGroup: 'adult',
    person: PERSON,
  });

describe.each(APP_DRIVERS)('a case from detection to referral to withdrawal, over HTTP (%s)', (driver) => {
  const t = useTestApp({ driver });
  let shelterId: string;
  let policeId: string;

  beforeAll(async () => {
    shelterId = await t.agencyId('Shelter');
    policeId = await t.agencyId('Police');
  });
  // Every scenario handles personal data: none of it, nor the password, may reach the logs.
  afterEach(() => {
    const logs = t.logs.lines.join('\n');
    for (const value of [...PERSONAL_VALUES, NOTE, 'phone may be watched', t.password]) expect(logs).not.toContain(value);
  });

  const streamLength = async (caseId: string) => (await t.store.readStream(`case-${caseId}`)).length;
  /** The person's case with the shelter's consent: a consent and nothing referred yet. */
  const consentedCase = async () => {
    const caseId = await openPersonsCase(t);
    return { caseId, ...(await giveConsent(t, caseId, shelterConsent(shelterId))) };
  };
  /** The person's case referred to the shelter within consent, urgently, with a note. */
  const referredCase = async () => {
    const consented = await consentedCase();
    const referralId = await refer(t, consented.caseId, { toAgencyId: shelterId, ...SHELTER_REFERRAL, urgency: 'high', note: NOTE });
    return { ...consented, referralId };
  };
  /** The rows of an agency's list that belong to one case: other scenarios' cases share the lists. */
  const ofCase = <T extends { caseId: string }>(caseId: string, rows: T[]) => rows.filter((row) => row.caseId === caseId);

  it('reports health without signing in', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok' });
    expect((await t.http.get('/metrics').expect(200)).text).toMatch(/^referrals_projection_runner_up\{runner="read-models"\} 1$/m);
  });

  it('serves its OpenAPI description', async () => {
    const response = await t.http.get('/api/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/cases', '/cases/{caseId}', '/cases/{caseId}/consents', '/auth/token', '/health']),
    );
  });

  it('refuses requests without a valid token, as problem+json', async () => {
    expectProblem(await t.http.get('/directory/agencies'), 401);
    expectProblem(await t.http.get('/directory/agencies').set('Authorization', 'Bearer not.a.token'), 401);
    expectProblem(
      await t.http.post('/auth/token').send({ username: 'caseworker.social', password: 'wrong-password' }),
      401,
      /unknown username or wrong password/,
    );
  });

  it('opens a case with encrypted personal data', async () => {
    const response = await t.http
      .post('/cases')
      .set(await t.bearer('caseworker.social'))
      .send({
        source: 'observation',
        indicators: ['work.forced_to_work', 'control.no_control_of_documents'],
        ageGroup: 'adult',
        person: PERSON,
      })
      .expect(201);
    const caseId = response.body.caseId;
    expect(response.body.revision).toBe(0);
    expect(response.headers.etag).toBe('"0"');
    expect(response.headers.location).toBe(`/cases/${caseId}`);
    const [row] = await t.db.query<{ data: unknown }>('SELECT data FROM events WHERE stream_id = $1', [`case-${caseId}`]);
    const stored = JSON.stringify(row!.data);
    for (const value of PERSONAL_VALUES) expect(stored).not.toContain(value);
  });

  it('shows the owning agency its case, decrypted, and nobody else', async () => {
    const caseId = await openPersonsCase(t);
    const view = await t.http
      .get(`/cases/${caseId}`)
      .set(await t.bearer('caseworker.social'))
      .expect(200);
    expect(view.body).toMatchObject({
      caseId,
      status: 'open',
      revision: 0,
      personalData: { identity: PERSON.identity, location: PERSON.location },
    });
    expectProblem(await t.http.get(`/cases/${caseId}`).set(await t.bearer('caseworker.shelter')), 404);
    expectProblem(await t.http.get(`/cases/${caseId}`).set(await t.bearer('auditor.justice')), 403);
    expectProblem(await t.http.get(`/cases/${caseId}`).set(await t.bearer('frontline.social')), 403);
  });

  it('refuses a referral without consent and writes nothing', async () => {
    const caseId = await openPersonsCase(t);
    const response = await post(t, `/cases/${caseId}/referrals`, { toAgencyId: shelterId, ...SHELTER_REFERRAL });
    expectProblem(response, 422, /no live consent covers sharing identity, safety/);
    expect(await streamLength(caseId)).toBe(1);
  });

  it('records consent for the shelter (shelter service; identity and safety)', async () => {
    const caseId = await openPersonsCase(t);
    const given = await posted(t, 201, `/cases/${caseId}/consents`, shelterConsent(shelterId));
    expect(given.provisionIds).toHaveLength(1);
    expect(given.revision).toBe(1);
  });

  it('refuses to refer what consent does not cover, and writes nothing', async () => {
    const { caseId } = await consentedCase();
    const outside = await post(t, `/cases/${caseId}/referrals`, {
      toAgencyId: shelterId,
      purpose: 'service_provision',
      serviceType: 'shelter',
      sharedCategories: ['identity', 'trafficking_experience'],
    });
    expectProblem(outside, 422, /trafficking_experience/);
    const police = await post(t, `/cases/${caseId}/referrals`, {
      toAgencyId: policeId,
      purpose: 'law_enforcement_report',
      sharedCategories: ['identity'],
    });
    expectProblem(police, 422, /no live consent/);
    expect(await streamLength(caseId)).toBe(2);
  });

  it('refers within consent', async () => {
    const { caseId } = await consentedCase();
    const asOwner = await t.bearer('caseworker.social');
    const response = await t.http
      .post(`/cases/${caseId}/referrals`)
      .set(asOwner)
      .send({ toAgencyId: shelterId, ...SHELTER_REFERRAL, urgency: 'high', note: NOTE })
      .expect(201);
    const referralId = response.body.referralId;
    const view = await t.http.get(`/cases/${caseId}`).set(asOwner).expect(200);
    expect(view.body.referrals).toEqual([
      expect.objectContaining({ referralId, toAgencyId: shelterId, status: 'requested', note: NOTE, urgency: 'high' }),
    ]);
  });

  it("puts the referral in the shelter's inbox and the owner's outbox, with no personal data, and nowhere else", async () => {
    const { caseId, referralId } = await referredCase();
    const inbox = await eventually(
      async () => ofCase(caseId, (await read(t, '/referrals?direction=incoming', 'caseworker.shelter')).items),
      (rows: unknown[]) => rows.length > 0,
    );
    expect(inbox).toEqual([
      expect.objectContaining({
        referralId,
        caseId,
        status: 'requested',
        purpose: 'service_provision',
        serviceType: 'shelter',
        sharedCategories: ['identity', 'safety'],
      }),
    ]);
    for (const value of [...PERSONAL_VALUES, NOTE]) expect(JSON.stringify(inbox)).not.toContain(value);
    const outbox = ofCase(caseId, (await read(t, '/referrals?direction=outgoing', 'caseworker.social')).items);
    expect(outbox).toEqual([expect.objectContaining({ referralId, toAgencyId: shelterId })]);
    expect(await read(t, '/referrals?direction=incoming', 'officer.police')).toEqual({ items: [] });
    expectProblem(await t.http.get('/referrals?direction=sideways').set(await t.bearer('caseworker.shelter')), 400);
  });

  it('shows the shelter exactly what consent permits it, and still nothing to the police', async () => {
    const { caseId, referralId } = await referredCase();
    const view = await t.http
      .get(`/cases/${caseId}`)
      .set(await t.bearer('caseworker.shelter'))
      .expect(200);
    expect(view.body.personalData).toEqual({ identity: PERSON.identity });
    expect(view.body.withdrawn).toEqual([]);
    expect(view.body.referrals).toEqual([expect.objectContaining({ referralId, status: 'requested', note: NOTE })]);
    expect(view.headers.etag).toBeUndefined();
    for (const value of [PERSON.contact.phone, PERSON.location.area, 'camp women']) expect(JSON.stringify(view.body)).not.toContain(value);
    expectProblem(await t.http.get(`/cases/${caseId}`).set(await t.bearer('officer.police')), 404);
  });

  it("walls agencies apart in the database itself: a direct SQL read with another agency's setting returns nothing", async () => {
    const { caseId } = await referredCase();
    // Bypasses the service: the reader role and the agency setting alone decide what rows exist.
    const rowsAs = (agencyId: string | null, table: string) =>
      t.db.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE ${AGENCY_READER_ROLE}`);
        if (agencyId) await tx.query(`SELECT set_config('app.agency_id', $1, true)`, [agencyId]);
        return tx.query<{ case_id: string }>(`SELECT case_id FROM ${table}`);
      });
    const caseIdsAs = async (agencyId: string, table: string) =>
      (await rowsAs(agencyId, table)).map((r) => r.case_id).filter((id) => id === caseId);
    const socialId = await t.agencyId('Social');
    for (const table of ['agency_case_views', 'referral_inbox']) {
      await eventually(
        () => caseIdsAs(shelterId, table),
        (ids) => ids.length > 0,
      );
      expect(await caseIdsAs(shelterId, table)).toEqual([caseId]);
      expect(await caseIdsAs(socialId, table)).toEqual([caseId]);
      expect(await rowsAs(policeId, table)).toEqual([]);
      expect(await rowsAs(null, table)).toEqual([]);
    }
    const [shelterRow] = await t.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${AGENCY_READER_ROLE}`);
      await tx.query(`SELECT set_config('app.agency_id', $1, true)`, [shelterId]);
      return tx.query<{ view: { personalData: Record<string, unknown> } }>('SELECT view FROM agency_case_views WHERE case_id = $1', [
        caseId,
      ]);
    });
    // The shelter's stored row holds only what it may see, still sealed.
    expect(Object.keys(shelterRow!.view.personalData)).toEqual(['identity']);
  });

  it("lists each agency's cases, own and referred, without personal data", async () => {
    const { caseId, referralId } = await referredCase();
    const owned = await read(t, '/cases?relation=owner', 'caseworker.social');
    expect(owned.items).toContainEqual(expect.objectContaining({ caseId, relation: 'owner', status: 'open', openReferrals: 1 }));
    const referred = await read(t, '/cases', 'caseworker.shelter');
    const referredHere = ofCase(caseId, referred.items as Array<{ caseId: string; status?: unknown }>);
    expect(referredHere).toEqual([
      expect.objectContaining({ caseId, relation: 'recipient', referrals: [{ referralId, status: 'requested' }] }),
    ]);
    expect(referredHere[0]!.status).toBeUndefined(); // case_progress is not shared with the shelter
    expect((await read(t, '/cases', 'officer.police')).items).toEqual([]);
    for (const value of PERSONAL_VALUES) expect(JSON.stringify([owned, referred])).not.toContain(value);
  });

  it("lists an agency's own cases in pages, most recent first, under a status filter", async () => {
    // An agency no other scenario here opens cases for, so that its list holds exactly these two.
    const asNgo = await t.bearer('caseworker.ngo');
    const first = await openCase(t, {}, 'caseworker.ngo');
    const second = await openCase(t, {}, 'caseworker.ngo');
    const page1 = (await t.http.get('/cases?relation=owner&limit=1').set(asNgo).expect(200)).body;
    expect(page1.items.map((c: { caseId: string }) => c.caseId)).toEqual([second]);
    const page2 = (await t.http.get(`/cases?relation=owner&limit=1&cursor=${page1.nextCursor}`).set(asNgo).expect(200)).body;
    expect(page2.items.map((c: { caseId: string }) => c.caseId)).toEqual([first]);
    expect(page2.nextCursor).toBeUndefined();
    expect((await t.http.get('/cases?status=paused').set(asNgo).expect(200)).body.items).toEqual([]);
  });

  it('refuses a malformed or forged cursor, a filter a relation has not, a page too large and a role without case.read', async () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'not-a-cursor',
      forged(['1', '00000000-0000-4000-8000-000000000000']),
      forged([new Date().toISOString(), '-'.repeat(36)]),
    ]) {
      expectProblem(await t.http.get(`/cases?cursor=${cursor}`).set(await t.bearer('caseworker.social')), 400, /cursor/);
    }
    expectProblem(await t.http.get('/cases?relation=recipient&status=open').set(await t.bearer('caseworker.shelter')), 400, /status/);
    expectProblem(await t.http.get('/cases?limit=1000').set(await t.bearer('caseworker.social')), 400);
    expectProblem(await t.http.get('/cases').set(await t.bearer('auditor.justice')), 403);
  });

  it('lets only the receiving agency respond to the referral', async () => {
    const { caseId, referralId } = await referredCase();
    expectProblem(await t.http.post(`/cases/${caseId}/referrals/${referralId}/accept`).set(await t.bearer('caseworker.social')), 403);
    expectProblem(await t.http.post(`/cases/${caseId}/referrals/${referralId}/accept`).set(await t.bearer('officer.police')), 404);
    await t.http
      .post(`/cases/${caseId}/referrals/${referralId}/acknowledge`)
      .set(await t.bearer('caseworker.shelter'))
      .expect(200);
    await t.http
      .post(`/cases/${caseId}/referrals/${referralId}/accept`)
      .set(await t.bearer('caseworker.shelter'))
      .expect(200);
    expectProblem(
      await t.http.post(`/cases/${caseId}/referrals/${referralId}/acknowledge`).set(await t.bearer('caseworker.shelter')),
      409,
      /referral is accepted/,
    );
  });

  it('withdraws the consent and, with it, the referral that relied on it', async () => {
    const { caseId, consentId, provisionIds, referralId } = await referredCase();
    await t.http
      .post(`/cases/${caseId}/referrals/${referralId}/accept`)
      .set(await t.bearer('caseworker.shelter'))
      .expect(200);
    const response = await t.http
      .post(`/cases/${caseId}/consents/${consentId}/withdrawal`)
      .set(await t.bearer('caseworker.social'))
      .send({})
      .expect(200);
    expect(response.body.withdrawnReferrals).toEqual([referralId]);
    const view = await t.http
      .get(`/cases/${caseId}`)
      .set(await t.bearer('caseworker.social'))
      .expect(200);
    expect(view.body.referrals[0]).toMatchObject({ status: 'withdrawn', withdrawalCause: 'consent_withdrawn' });
    expect(view.body.consents[0].provisions[0]).toMatchObject({
      provisionId: provisionIds[0],
      status: 'withdrawn',
      withdrawnAt: expect.any(String),
    });
    expectProblem(await post(t, `/cases/${caseId}/referrals/${referralId}/complete`, { outcome: 'done' }, 'caseworker.shelter'), 409);
    const inbox = await eventually(
      async () => ofCase(caseId, (await read(t, '/referrals?direction=incoming&status=withdrawn', 'caseworker.shelter')).items),
      (rows: unknown[]) => rows.length > 0,
    );
    // The receiving agency is told sharing was narrowed, never whether the person or a safety flag did it.
    expect(inbox).toEqual([expect.objectContaining({ referralId, status: 'withdrawn', withdrawalCause: 'sharing_narrowed' })]);
    const redacted = await t.http
      .get(`/cases/${caseId}`)
      .set(await t.bearer('caseworker.shelter'))
      .expect(200);
    expect(redacted.body.personalData).toEqual({});
    expect(redacted.body.withdrawn).toEqual([
      { category: 'identity', since: expect.any(String), reason: 'withdrawn' },
      { category: 'safety', since: expect.any(String), reason: 'withdrawn' },
    ]);
    expect(redacted.body.referrals[0]).toMatchObject({ status: 'withdrawn', withdrawalCause: 'sharing_narrowed' });
    expect(redacted.body.referrals[0].note).toBeUndefined();
    expect(JSON.stringify(redacted.body)).not.toContain(PERSON.identity.fullName);
  });

  it('honours If-Match: a stale revision gets 412 and writes nothing', async () => {
    const { caseId } = await consentedCase();
    await giveConsent(t, caseId, shelterConsent(shelterId)); // revision 2, so that "1" is stale
    const asOwner = await t.bearer('caseworker.social');
    const { headers } = await t.http.get(`/cases/${caseId}`).set(asOwner).expect(200);
    const before = await streamLength(caseId);
    expectProblem(
      await t.http.post(`/cases/${caseId}/interruption`).set(asOwner).set('If-Match', '"1"').send({ reason: 'lost_contact' }),
      412,
    );
    expect(await streamLength(caseId)).toBe(before);
    expectProblem(
      await t.http.post(`/cases/${caseId}/interruption`).set(asOwner).set('If-Match', 'yesterday').send({ reason: 'lost_contact' }),
      400,
    );
    const paused = await t.http
      .post(`/cases/${caseId}/interruption`)
      .set(asOwner)
      .set('If-Match', headers.etag!)
      .send({ reason: 'lost_contact', note: 'phone may be watched' })
      .expect(200);
    expect(paused.body.status).toBe('paused');
  });

  it('resumes, closes, refuses work on the closed case, and reopens it', async () => {
    const caseId = await openPersonsCase(t);
    const asOwner = await t.bearer('caseworker.social');
    await t.http
      .post(`/cases/${caseId}/interruption`)
      .set(asOwner)
      .send({ reason: 'lost_contact', note: 'phone may be watched' })
      .expect(200);
    await t.http.post(`/cases/${caseId}/resumption`).set(asOwner).expect(200);
    await t.http.post(`/cases/${caseId}/closure`).set(asOwner).send({ reason: 'declined_assistance' }).expect(200);
    const before = await streamLength(caseId);
    const consent = await t.http
      .post(`/cases/${caseId}/consents`)
      .set(asOwner)
      .send(
        consentBody(
          [{ recipient: { agencyKind: 'shelter' }, purpose: 'service_provision', serviceTypes: ['shelter'], categories: ['identity'] }],
          { language: 'ha' },
        ),
      );
    expectProblem(consent, 409, /case is closed/);
    expect(await streamLength(caseId)).toBe(before);
    await t.http.post(`/cases/${caseId}/reopening`).set(asOwner).expect(200);
    const view = await t.http.get(`/cases/${caseId}`).set(asOwner).expect(200);
    expect(view.body.status).toBe('open');
    expect(view.body.timeline.map((e: { type: string }) => e.type)).toEqual([
      'CaseOpened',
      'CaseInterrupted',
      'CaseResumed',
      'CaseClosed',
      'CaseReopened',
    ]);
    expect(view.body.timeline[1].note).toBe('phone may be watched');
  });

  it('never lets another agency act on the case', async () => {
    const { caseId, consentId } = await consentedCase();
    const asPolice = await t.bearer('officer.police');
    for (const [path, body] of [
      ['interruption', { reason: 'other' }],
      ['closure', { reason: 'other' }],
      ['consents/' + consentId + '/withdrawal', {}],
    ] as const) {
      expectProblem(await t.http.post(`/cases/${caseId}/${path}`).set(asPolice).send(body), 404);
    }
  });

  it('replays a retried POST with the same Idempotency-Key and appends nothing', async () => {
    const asOwner = await t.bearer('caseworker.social');
    const body = { source: 'hotline', indicators: ['social.fearful_or_anxious'], ageGroup: 'adult' };
    const first = await t.http.post('/cases').set(asOwner).set('Idempotency-Key', 'retry-test-0001').send(body).expect(201);
    const before = (await allEvents(t.store)).length;
    const again = await t.http.post('/cases').set(asOwner).set('Idempotency-Key', 'retry-test-0001').send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await allEvents(t.store)).length).toBe(before);
    expectProblem(
      await t.http
        .post('/cases')
        .set(asOwner)
        .set('Idempotency-Key', 'retry-test-0001')
        .send({ ...body, source: 'observation' }),
      422,
      /Idempotency-Key/,
    );
    // The same key from another agency is another request.
    const other = await t.http
      .post('/cases')
      .set(await t.bearer('caseworker.shelter'))
      .set('Idempotency-Key', 'retry-test-0001')
      .send(body)
      .expect(201);
    expect(other.body.caseId).not.toBe(first.body.caseId);
  });

  it('refuses bad input with a clear problem and writes nothing', async () => {
    const caseId = await openPersonsCase(t);
    const asOwner = await t.bearer('caseworker.social');
    const before = (await allEvents(t.store)).length;
    expectProblem(
      await t.http
        .post('/cases')
        .set(asOwner)
        .send({ source: 'observation', indicators: ['trafficker.address'], ageGroup: 'adult' }),
      400,
    );
    expectProblem(
      await t.http.post('/cases').set(asOwner).send({ source: 'observation', indicators: [], ageGroup: 'adult', perpetrator: 'x' }),
      400,
      /not valid/,
    );
    expectProblem(
      await t.http.post('/cases').set(asOwner).set('Content-Type', 'application/json').send('{"source":'),
      400,
      /not valid JSON/,
    );
    // The parser's own message would quote the text sent, which may be personal data.
    const quoted = await t.http
      .post('/cases')
      .set(asOwner)
      .set('Content-Type', 'application/json')
      .send('Amina Test-Person lives at Fictional Camp 7');
    expectProblem(quoted, 400, /^the body is not valid JSON$/);
    expect(JSON.stringify(quoted.body)).not.toContain('Amina');
    expectProblem(
      await t.http
        .post('/cases')
        .set(asOwner)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(70_000) })),
      413,
    );
    expectProblem(await t.http.get('/cases/not-a-uuid').set(asOwner), 400);
    expectProblem(
      await t.http
        .post(`/cases/${caseId}/consents`)
        .set(asOwner)
        .send(
          consentBody(
            [{ recipient: { agencyId: '00000000-0000-4000-8000-000000000000' }, purpose: 'case_management', categories: ['identity'] }],
            { language: 'ha' },
          ),
        ),
      400,
      /unknown agency/,
    );
    expectProblem(
      await t.http
        .post(`/cases/${caseId}/consents`)
        .set(asOwner)
        .send(
          consentBody([{ recipient: { agencyId: shelterId }, purpose: 'telepathy', categories: ['identity', 'shoe_size'] }], {
            language: 'ha',
          }),
        ),
      400,
    );
    expectProblem(
      await t.http
        .post(`/cases/${caseId}/consents`)
        .set(asOwner)
        .send(
          consentBody(
            [
              {
                recipient: { agencyId: shelterId },
                purpose: 'case_management',
                categories: ['identity'],
                validFrom: '2026-05-01T00:00:00Z',
                validUntil: '2026-04-01T00:00:00Z',
              },
            ],
            { language: 'ha' },
          ),
        ),
      400,
      /ends before it starts/,
    );
    expectProblem(
      await t.http.post(`/cases/00000000-0000-4000-8000-000000000000/interruption`).set(asOwner).send({ reason: 'other' }),
      404,
    );
    expect((await allEvents(t.store)).length).toBe(before);
  });

  it('shows the auditor the whole consent trail and every read of personal data, with no personal data', async () => {
    const { caseId, consentId, provisionIds, referralId } = await referredCase();
    await t.http
      .get(`/cases/${caseId}`)
      .set(await t.bearer('caseworker.social'))
      .expect(200);
    await t.http
      .get(`/cases/${caseId}`)
      .set(await t.bearer('caseworker.shelter'))
      .expect(200);
    await t.http
      .post(`/cases/${caseId}/consents/${consentId}/withdrawal`)
      .set(await t.bearer('caseworker.social'))
      .send({})
      .expect(200);
    const asAuditor = await t.bearer('auditor.justice');
    const trail = await eventually(
      async () =>
        (await t.http.get(`/audit/cases/${caseId}/consent-trail`).set(asAuditor).expect(200)).body as Array<{
          type: string;
          details: Record<string, unknown>;
        }>,
      (rows) => rows.length >= 5,
    );
    expect(trail.map((e) => e.type)).toEqual(['CaseOpened', 'ConsentGiven', 'ReferralRequested', 'ConsentWithdrawn', 'ReferralWithdrawn']);
    expect(trail[1]!.details).toMatchObject({
      consentId,
      grantor: 'person',
      method: 'verbal',
      interpreterUsed: true,
      provisions: [
        expect.objectContaining({ provisionId: provisionIds[0], recipient: { agencyId: shelterId }, categories: ['identity', 'safety'] }),
      ],
    });
    expect(trail[3]!.details).toMatchObject({ consentId, provisionIds, whole: true });
    const accessLog = (await t.http.get(`/audit/cases/${caseId}/access-log`).set(asAuditor).expect(200)).body as Array<{
      agencyId: string;
      categories: string[];
      legalBasis: unknown;
    }>;
    expect(accessLog).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agencyId: await t.agencyId('Social'), legalBasis: { owner: true } }),
        expect.objectContaining({ agencyId: shelterId, categories: ['identity', 'notes'], legalBasis: { referrals: [referralId] } }),
      ]),
    );
    const everything = JSON.stringify([trail, accessLog]);
    for (const value of [...PERSONAL_VALUES, NOTE, 'phone may be watched']) expect(everything).not.toContain(value);
    await expect(t.owner.query('DELETE FROM personal_data_access')).rejects.toThrow(/append-only/); // even for the table's owner
  });
});
