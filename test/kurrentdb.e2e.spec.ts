import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ProjectionRunner } from '../libs/projections/index.js';
import { APP_CONFIG, type AppConfig } from '../src/config/app-config.js';
import { type InMemoryKurrentDb, startInMemoryKurrentDb } from './support/in-memory-kurrentdb/in-memory-kurrentdb-server.js';
import type { StoredEvent } from './support/in-memory-kurrentdb/in-memory-log.js';
import { type RunningApp, emptyReadModels, eventually, useTestApp } from './support/test-app.js';
import { consentBody, erasureInterruptedBeforeKeyDestruction, liveDataKey, posted, read, referredCase } from './support/case-steps.js';
import { buildVerifyCli } from './support/verify-cli.js';

const PERSON = { identity: { fullName: 'Amina Kurrent-Person' }, contact: { phone: '+234 800 333 4444', safeToContact: true } };

/** Until the read models (and the chain) hold every event in the store. */
const caughtUp = (t: Pick<RunningApp, 'app'>) =>
  eventually(
    () => t.app.get(ProjectionRunner).lag(),
    (lag) => lag.events === 0,
  );

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
  describe('the audit chain and erasure over events kept in KurrentDB', () => {
    const verify = () => read(t, '/audit/verify', 'auditor.justice');
    const seqOf = async (ref: string) =>
      Number((await t.db.query<{ seq: string }>("SELECT seq FROM audit_chain WHERE kind = 'event' AND ref = $1", [ref]))[0]!.seq);
    /** A referred case, projected and chained; its events as KurrentDB holds them. */
    const chainedCase = async () => {
      const { caseId } = await referredCase(t, await t.agencyId('Shelter'), { person: PERSON });
      await caughtUp(t);
      return { caseId, events: kurrentdb.log.readStream(`case-${caseId}`, 'start', true, 100)! };
    };
    /** Changes a stored event as someone with the node's files could, verifies, and puts it back. */
    const verifiedWhileTampered = async (eventId: string, change: (stored: StoredEvent) => StoredEvent | undefined) => {
      const restore = kurrentdb.log.tamper((e) => e.eventId === eventId, change);
      try {
        return await verify();
      } finally {
        restore();
      }
    };

    it('GET /audit/verify checks every event in KurrentDB against the chain, and verifies', async () => {
      const { events } = await chainedCase();
      expect(await verify()).toMatchObject({ verified: true });
      const chained = await t.db.query("SELECT ref FROM audit_chain WHERE kind = 'event' AND ref = ANY($1::text[])", [
        events.map((e) => e.eventId),
      ]);
      expect(chained).toHaveLength(events.length);
    });

    it('names an event changed in KurrentDB at its chain entry', async () => {
      const { events } = await chainedCase();
      const consent = events.find((e) => e.type === 'ConsentGiven')!;
      const result = await verifiedWhileTampered(consent.eventId, (stored) => {
        const data = JSON.parse(Buffer.from(stored.data).toString('utf8')) as Record<string, unknown>;
        return { ...stored, data: Buffer.from(JSON.stringify({ ...data, method: 'written' })) };
      });
      expect(result).toMatchObject({
        verified: false,
        firstBrokenLink: { seq: await seqOf(consent.eventId), kind: 'event', ref: consent.eventId, reason: 'record_changed' },
      });
    });

    it('names an event cut off from KurrentDB as missing at its chain entry', async () => {
      const { events } = await chainedCase();
      const last = events[events.length - 1]!;
      expect(await verifiedWhileTampered(last.eventId, () => undefined)).toMatchObject({
        verified: false,
        firstBrokenLink: { seq: await seqOf(last.eventId), kind: 'event', ref: last.eventId, reason: 'record_missing' },
      });
    });

    it("names an event written into KurrentDB under a chained event's id, in another stream, as unchained", async () => {
      const { events } = await chainedCase();
      const taken = events[0]!;
      // Not a case stream, so the read models pass it by; its id is chained already, so the chain does too.
      const stream = `elsewhere-${randomUUID()}`;
      kurrentdb.log.append(stream, { kind: 'no_stream' }, [{ ...taken, type: 'Tested', data: Buffer.from('{}') }]);
      try {
        await caughtUp(t);
        expect(await verify()).toMatchObject({
          verified: false,
          firstBrokenLink: { kind: 'event', ref: taken.eventId, reason: 'unchained_record' },
        });
      } finally {
        // Cut off again, so that later verifications meet the store as the service wrote it.
        kurrentdb.log.tamper(
          (e) => e.streamId === stream,
          () => undefined,
        );
      }
    });

    it('npm run verify verifies the events in KurrentDB and exits 0', async () => {
      await chainedCase();
      const cli = await buildVerifyCli();
      try {
        const config = t.app.get<AppConfig>(APP_CONFIG);
        const { code, stdout, stderr } = await cli.run({
          ...process.env,
          DATA_DIR: t.dataDir,
          DATABASE_URL: config.databaseUrl,
          MASTER_KEY: config.masterKey,
          EVENT_STORE: 'kurrentdb',
          KURRENTDB_URL: kurrentdb.url,
        });
        expect(stderr).not.toContain('Cannot verify');
        expect(code).toBe(0);
        const result = JSON.parse(stdout) as { verified: boolean; entries: number };
        expect(result.verified).toBe(true);
        // Every event KurrentDB holds is in what it verified.
        expect(result.entries).toBeGreaterThanOrEqual(kurrentdb.log.readAll('start', true, 1_000_000).length);
      } finally {
        await cli.remove();
      }
    });

    it('finishes at the next start an erasure interrupted between its event and the destruction of the key', async () => {
      const { caseId } = await chainedCase();
      const requestId = (await posted(t, 201, `/cases/${caseId}/erasure-requests`, { reason: 'person_requested' }, 'supervisor.social'))
        .requestId as string;
      // The crash as the approval meets it: its event is in KurrentDB, the key not yet destroyed.
      const approval = await erasureInterruptedBeforeKeyDestruction(t, caseId, requestId, 'coordinator.justice');
      expect(approval.status).toBe(500);
      expect((await t.store.readStream(`case-${caseId}`)).map((e) => e.type)).toContain('CaseErased');
      expect(await liveDataKey(t.owner, caseId)).toBe(true);

      // Read models emptied meanwhile: the erasure is found by its event's type in KurrentDB, not in a view.
      await t.restart({ beforeStart: emptyReadModels });
      expect(await liveDataKey(t.owner, caseId)).toBe(false);
      const own = await read(t, `/cases/${caseId}`);
      expect(own.erased).toBe(true);
      expect(JSON.stringify(own)).not.toContain(PERSON.identity.fullName);
    });
  });
});

/** Its own service and KurrentDB: the forged event stays in the store, where it would spoil every later verification. */
onPostgres('a forged event written into KurrentDB past the service', () => {
  let kurrentdb: InMemoryKurrentDb;
  beforeAll(async () => {
    kurrentdb = await startInMemoryKurrentDb();
  });
  const t = useTestApp({ driver: 'postgres', settings: () => ({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: kurrentdb.url }) });
  afterAll(async () => {
    await kurrentdb?.close();
  });

  it('is projected, chained and named as not authentic, as on PostgreSQL', async () => {
    const { caseId } = await referredCase(t, await t.agencyId('Shelter'), { person: PERSON });
    await caughtUp(t);
    const stream = kurrentdb.log.readStream(`case-${caseId}`, 'start', true, 100)!;
    const given = stream.find((e) => e.type === 'ConsentGiven')!;
    const forged = randomUUID();
    // A consent nobody recorded, with a genuine consent's metadata (and MAC) copied along.
    const data = JSON.parse(Buffer.from(given.data).toString('utf8')) as Record<string, unknown>;
    kurrentdb.log.append(`case-${caseId}`, { kind: 'revision', revision: BigInt(stream.length - 1) }, [
      { ...given, eventId: forged, data: Buffer.from(JSON.stringify({ ...data, consentId: randomUUID() })) },
    ]);
    const [entry] = await eventually(
      () => t.db.query<{ seq: string }>("SELECT seq FROM audit_chain WHERE kind = 'event' AND ref = $1", [forged]),
      (rows) => rows.length === 1,
    );
    expect(await read(t, '/audit/verify', 'auditor.justice')).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: Number(entry!.seq), kind: 'event', ref: forged, reason: 'event_not_authentic' },
    });
  });
});
