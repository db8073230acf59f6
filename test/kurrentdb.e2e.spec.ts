import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type InMemoryKurrentDb, startInMemoryKurrentDb } from './support/in-memory-kurrentdb/in-memory-kurrentdb-server.js';
import { eventually, useTestApp } from './support/test-app.js';
import { consentBody } from './support/case-steps.js';

const PERSON = { identity: { fullName: 'Amina Kurrent-Person' }, contact: { phone: '+234 800 333 4444', safeToContact: true } };

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) {
  console.info('DATABASE_URL is not set: the KurrentDB end-to-end test (read models in PostgreSQL) is skipped.');
}

/**
 * The service with EVENT_STORE=kurrentdb: its events go to KurrentDB (here the in-memory protocol
 * double, spoken to over gRPC by the real client), its read models and their checkpoint stay in PostgreSQL.
 */
onPostgres('the service with its events in KurrentDB and its read models in PostgreSQL', () => {
  let kurrentdb: InMemoryKurrentDb;
  beforeAll(async () => {
    kurrentdb = await startInMemoryKurrentDb();
  });
  // Registered after the double's start and before its close: the app starts after it and closes first.
  const t = useTestApp({ driver: 'postgres', settings: () => ({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: kurrentdb.url }) });
  const as = t.bearer;
  afterAll(async () => {
    await kurrentdb?.close();
  });

  it('opens a case, records consent, refers it, and each agency reads its view', async () => {
    const shelter = await t.agencyId('Shelter');
    const opened = await t.http
      .post('/cases')
      .set(await as('caseworker.ngo'))
      .send({ source: 'observation', indicators: ['work.forced_to_work'], ageGroup: 'adult', person: PERSON })
      .expect(201);
    const caseId: string = opened.body.caseId;
    await t.http
      .post(`/cases/${caseId}/consents`)
      .set(await as('caseworker.ngo'))
      .send(
        consentBody(
          [{ recipient: { agencyId: shelter }, purpose: 'service_provision', serviceTypes: ['shelter'], categories: ['identity'] }],
          { noticeVersion: 'kurrentdb-1' },
        ),
      )
      .expect(201);
    const referred = await t.http
      .post(`/cases/${caseId}/referrals`)
      .set(await as('caseworker.ngo'))
      .send({ toAgencyId: shelter, purpose: 'service_provision', serviceType: 'shelter', sharedCategories: ['identity'] })
      .expect(201);

    const shelterView = async () => t.http.get(`/cases/${caseId}`).set(await as('caseworker.shelter'));
    const atShelter = await eventually(shelterView, (r) => r.status === 200);
    expect(atShelter.status).toBe(200);
    expect(atShelter.body.personalData).toEqual({ identity: PERSON.identity });
    expect(atShelter.body.referrals).toEqual([
      expect.objectContaining({ referralId: referred.body.referralId, serviceType: 'shelter', status: 'requested' }),
    ]);
    expect(JSON.stringify(atShelter.body)).not.toContain(PERSON.contact.phone);
    const own = await t.http
      .get(`/cases/${caseId}`)
      .set(await as('caseworker.ngo'))
      .expect(200);
    expect(own.body.personalData.identity).toEqual(PERSON.identity);
    expect((await t.http.get(`/cases/${caseId}`).set(await as('caseworker.clinic'))).status).toBe(404);
  });

  it('keeps the events in KurrentDB, none in the SQL event table', async () => {
    const opened = await t.http
      .post('/cases')
      .set(await as('caseworker.ngo'))
      .send({ source: 'observation', indicators: ['work.forced_to_work'], ageGroup: 'adult', person: PERSON })
      .expect(201);
    const inKurrentDb = kurrentdb.log.readStream(`case-${opened.body.caseId}`, 'start', true, 100);
    expect(inKurrentDb?.map((e) => e.type)).toEqual((await t.store.readStream(`case-${opened.body.caseId}`)).map((e) => e.type));
    expect(inKurrentDb?.length).toBeGreaterThan(0);
    expect(await t.owner.query('SELECT count(*)::int AS n FROM events')).toEqual([{ n: 0 }]);
  });
});
