import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JWK } from 'jose';
import { CaseSealing } from '../src/cases/case-sealing.js';
import { AccessLog } from '../src/audit/access-log.js';
import { FeedKeys } from '../src/feeds/feed-keys.js';
import { FeedRelay } from '../src/feeds/feed-relay.js';
import { latestPerCase, readFeedRecord } from '../src/feeds/feed-reader.js';
import type { RawRecord } from './support/kafka-feeds.js';
import { KafkaFeedPublisher } from '../src/feeds/kafka-publisher.js';
import { Clock } from '../src/platform/clock.js';
import { TEST_BROKERS, caseKeyIn, decryptAll, partnerKeyPair, testKafka, useTopicReader } from './support/kafka-feeds.js';
import { APP_DRIVERS, type TestApp, startTestApp } from './support/test-app.js';
import { consentBody, offerService, read } from './support/case-steps.js';

const PERSON = { identity: { fullName: 'Feed Test-Person' }, location: { area: 'Fictional Feed Camp' } };

(TEST_BROKERS ? describe.each(APP_DRIVERS) : describe.skip.each(APP_DRIVERS))(
  'per-agency Kafka feeds, against a Kafka-protocol broker (%s)',
  (driver) => {
    let t: TestApp;
    let bearer: (username: string) => Promise<{ Authorization: string }>;
    let shelterId: string;
    let clinicId: string;
    let shelterKey: JWK;
    let clinicKey: JWK;
    let publisher: KafkaFeedPublisher;
    const stop = new AbortController();
    let relayFailure: unknown;
    let relayRun: Promise<void>;
    let relay: FeedRelay;
    const topics = useTopicReader();

    /** A case opened by social services, referred with the person's consent to `agencyId` (identity and a note shared). */
    const referredCase = async (agencyId: string, serviceType: string) => {
      const owner = await bearer('caseworker.social');
      const caseId = (
        await t.http.post('/cases').set(owner).send({ source: 'hotline', ageGroup: 'adult', indicators: [], person: PERSON }).expect(201)
      ).body.caseId;
      const consentId = (
        await t.http
          .post(`/cases/${caseId}/consents`)
          .set(owner)
          .send(
            consentBody([
              { recipient: { agencyId }, purpose: 'service_provision', serviceTypes: [serviceType], categories: ['identity', 'location'] },
            ]),
          )
          .expect(201)
      ).body.consentId;
      await t.http
        .post(`/cases/${caseId}/referrals`)
        .set(owner)
        .send({ toAgencyId: agencyId, purpose: 'service_provision', serviceType, sharedCategories: ['identity'], note: 'Feed test note' })
        .expect(201);
      return { caseId, consentId };
    };
    /** The records of one case in one agency's topic, found by the case's pseudonym there. */
    const topicOf = async (agencyId: string, caseId: string, done: (records: readonly RawRecord[]) => boolean = (r) => r.length > 0) => {
      const key = await caseKeyIn(t.db, agencyId, caseId);
      const ofCase = (records: readonly RawRecord[]) => records.filter((r) => r.key === key);
      return {
        key,
        records: ofCase(
          await topics.read(
            agencyId,
            (r) => done(ofCase(r)),
            () => relayFailure,
          ),
        ),
      };
    };
    /** Resolves once the relay has handled every event recorded so far. */
    const relayCaughtUp = async () => {
      for (let waited = 0; (await t.store.behind(await relay.checkpoint())).events > 0; waited += 50) {
        if (waited > 60_000) throw new Error('the relay did not catch up');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    beforeAll(async () => {
      t = await startTestApp(driver);
      bearer = async (username) => ({ Authorization: `Bearer ${await t.token(username)}` });
      [shelterId, clinicId] = [await t.agencyId('Shelter'), await t.agencyId('Clinic')];
      // The consumers join the mock broker's groups (3 s) while the keys are made and registered.
      const reading = topics.open(shelterId, clinicId);
      reading.catch(() => undefined); // awaited below
      const shelter = await partnerKeyPair('ECDH-ES+A256KW');
      const clinic = await partnerKeyPair('RSA-OAEP-256');
      [shelterKey, clinicKey] = [shelter.privateJwk, clinic.privateJwk];
      // The shelter's admin registers its key over HTTP; the clinic (no admin among the demo users) through the same service.
      await t.http
        .put('/agency/feed-key')
        .set(await bearer('admin.shelter'))
        .send({ jwk: shelter.publicJwk })
        .expect(200);
      await new FeedKeys(t.db, new Clock()).register(
        { userId: 'test', agencyId: clinicId, agencyKind: 'health', role: 'agency_admin' },
        clinic.publicJwk,
      );
      publisher = new KafkaFeedPublisher(testKafka);
      await publisher.connect();
      relay = new FeedRelay(t.db, t.store, t.app.get(CaseSealing), new AccessLog(t.db), publisher, {
        batchSize: 50,
        closeEveryMs: 200,
        now: () => new Date().toISOString(),
      });
      relayRun = relay.run(stop.signal).catch((error: unknown) => void (relayFailure = error));
      await reading;
    }, 180_000); // a fresh embedded database and the demo network take a while on a shared machine
    afterAll(async () => {
      stop.abort();
      await relayRun;
      await publisher?.disconnect();
      await t?.close();
    });

    it("a referral reaches the receiving agency's topic with exactly what GET /cases/:id shows that agency", async () => {
      const { caseId } = await referredCase(shelterId, 'shelter');
      const shown = await read(t, `/cases/${caseId}`, 'caseworker.shelter');
      const { records } = await topicOf(shelterId, caseId);
      const [received] = await decryptAll(shelterKey, records);
      expect(received).toMatchObject({ caseId, kind: 'update' });
      expect(received!.kind !== 'tombstone' && received!.payload.view).toEqual(shown);
      expect(shown.personalData).toEqual({ identity: PERSON.identity });
      // Nothing about the person in clear on the wire: only in the encrypted payload.
      expect(records.map((r) => r.value?.toString() ?? '').join()).not.toMatch(/Feed Test-Person|Feed test note|Fictional Feed Camp/);
    });

    it('a consent withdrawal publishes a redaction: read from the start, the agency ends with no personal data of the case', async () => {
      const { caseId, consentId } = await referredCase(shelterId, 'shelter');
      await t.http
        .post(`/cases/${caseId}/consents/${consentId}/withdrawal`)
        .set(await bearer('caseworker.social'))
        .send({})
        .expect(200);
      const shown = await read(t, `/cases/${caseId}`, 'caseworker.shelter');
      // The referral, its withdrawal's redaction: two messages (what they are shows only once decrypted).
      const { key, records } = await topicOf(shelterId, caseId, (r) => r.length >= 2);
      const received = await decryptAll(shelterKey, records);
      const redaction = received.find((r) => r.kind === 'redaction');
      expect(redaction?.kind === 'redaction' && redaction.payload.delete).toEqual(expect.arrayContaining(['identity', 'notes']));
      const latest = latestPerCase(received).get(key);
      expect(latest?.kind !== 'tombstone' && latest?.payload.view).toEqual(shown);
      expect(shown).toMatchObject({ personalData: {}, referrals: [expect.not.objectContaining({ note: expect.anything() })] });
    });

    it("an erased case ends with a tombstone on the agency's topic: nothing of it is left", async () => {
      const { caseId } = await referredCase(shelterId, 'shelter');
      const requestId = (
        await t.http
          .post(`/cases/${caseId}/erasure-requests`)
          .set(await bearer('supervisor.social'))
          .send({ reason: 'person_requested' })
          .expect(201)
      ).body.requestId;
      await t.http
        .post(`/cases/${caseId}/erasure-requests/${requestId}/approval`)
        .set(await bearer('coordinator.justice'))
        .expect(200);
      const { key, records } = await topicOf(shelterId, caseId, (r) => r.some((m) => m.value === null));
      expect(records.at(-1)).toMatchObject({ key, value: null });
      expect(latestPerCase(await decryptAll(shelterKey, records)).has(key)).toBe(false);
    });

    it("an agency's topic carries none of another agency's messages, and its key opens none of them", async () => {
      const toShelter = await referredCase(shelterId, 'shelter');
      // Published after the shelter's case: once the clinic's topic has it, the shelter's case was relayed too.
      const toClinic = await referredCase(clinicId, 'medical');
      const clinicKeyOfCase = await caseKeyIn(t.db, clinicId, toClinic.caseId);
      const clinicRecords = await topics.read(
        clinicId,
        (r) => r.some((m) => m.key === clinicKeyOfCase),
        () => relayFailure,
      );
      // Every message of the clinic's topic opens with the clinic's key (readFeedRecord throws otherwise), and none is the shelter's case.
      const opened = await decryptAll(clinicKey, clinicRecords);
      expect(opened.map((r) => r.kind !== 'tombstone' && r.caseId)).not.toContain(toShelter.caseId);
      const [shelterRecord] = (await topicOf(shelterId, toShelter.caseId)).records;
      await expect(readFeedRecord(clinicKey, { key: Buffer.from(shelterRecord!.key), value: shelterRecord!.value })).rejects.toThrow();
    });
    it("shows nothing about the case in clear: the record key and message ids are pseudonyms, different in each agency's topic", async () => {
      // One case referred to both agencies: on the wire, nothing tells the two topics' messages are about it.
      const { caseId } = await referredCase(shelterId, 'shelter');
      await t.http
        .post(`/cases/${caseId}/consents`)
        .set(await bearer('caseworker.social'))
        .send(
          consentBody([
            { recipient: { agencyId: clinicId }, purpose: 'service_provision', serviceTypes: ['medical'], categories: ['identity'] },
          ]),
        )
        .expect(201);
      await t.http
        .post(`/cases/${caseId}/referrals`)
        .set(await bearer('caseworker.social'))
        .send({ toAgencyId: clinicId, purpose: 'service_provision', serviceType: 'medical', sharedCategories: ['identity'] })
        .expect(201);
      const atShelter = await topicOf(shelterId, caseId);
      const atClinic = await topicOf(clinicId, caseId);
      expect(atShelter.key).not.toBe(atClinic.key);
      for (const record of [...atShelter.records, ...atClinic.records]) {
        const wire = [record.key, record.messageId, record.value?.toString() ?? ''].join(' ');
        expect(wire).not.toContain(caseId);
        expect(wire).not.toMatch(/"(update|redaction|kind|caseId)"/);
      }
      const ids = (records: readonly RawRecord[]) => records.map((r) => r.messageId);
      expect(ids(atShelter.records).filter((id) => ids(atClinic.records).includes(id))).toEqual([]);
      // Decrypted, each agency reads the case id it knows from the API.
      expect((await decryptAll(clinicKey, atClinic.records)).map((r) => r.kind !== 'tombstone' && r.caseId)).toEqual([caseId]);
    });

    it("closes a deactivated agency's feed: a tombstone for each of its cases, and nothing after", async () => {
      const created = await t.http
        .post('/directory/agencies')
        .set(await bearer('coordinator.justice'))
        .send({ name: `Feed Closing Shelter ${driver}`, kind: 'shelter' })
        .expect(201);
      const agencyId: string = created.body.id;
      await offerService(t.db, agencyId, 'shelter');
      const closing = await partnerKeyPair();
      await new FeedKeys(t.db, new Clock()).register(
        { userId: 'test', agencyId, agencyKind: 'shelter', role: 'agency_admin' },
        closing.publicJwk,
      );
      const { caseId, consentId } = await referredCase(agencyId, 'shelter');
      await topicOf(agencyId, caseId);
      await t.http
        .post(`/directory/agencies/${agencyId}/deactivation`)
        .set(await bearer('coordinator.justice'))
        .expect(200);
      const { key } = await topicOf(agencyId, caseId, (r) => r.some((m) => m.value === null));
      // A change the agency would have been told of before: after the closing, nothing reaches its topic.
      await t.http
        .post(`/cases/${caseId}/consents/${consentId}/withdrawal`)
        .set(await bearer('caseworker.social'))
        .send({})
        .expect(200);
      await relayCaughtUp();
      const { records } = await topicOf(agencyId, caseId, (r) => r.some((m) => m.value === null));
      expect(records.at(-1)).toMatchObject({ key, value: null });
      expect(latestPerCase(await decryptAll(closing.privateJwk, records)).size).toBe(0);
    });
  },
);
