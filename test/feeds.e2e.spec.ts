import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JWK } from 'jose';
import { CaseSealing } from '../src/cases/case-sealing.js';
import { AccessLog } from '../src/audit/access-log.js';
import { FeedKeys } from '../src/feeds/feed-keys.js';
import { FeedRelay } from '../src/feeds/feed-relay.js';
import { latestPerCase, readFeedRecord } from '../src/feeds/feed-reader.js';
import { KafkaFeedPublisher } from '../src/feeds/kafka-publisher.js';
import { Clock } from '../src/platform/clock.js';
import { TEST_BROKERS, decryptAll, partnerKeyPair, readTopic, testKafka } from './support/kafka-feeds.js';
import { APP_DRIVERS, type TestApp, startTestApp } from './support/test-app.js';
import { consentBody, read } from './support/case-steps.js';

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
    const recordsOf =
      (caseId: string) =>
      <R extends { key: string }>(records: readonly R[]): R[] =>
        records.filter((r) => r.key === caseId);

    beforeAll(async () => {
      t = await startTestApp(driver);
      bearer = async (username) => ({ Authorization: `Bearer ${await t.token(username)}` });
      [shelterId, clinicId] = [await t.agencyId('Shelter'), await t.agencyId('Clinic')];
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
      const relay = new FeedRelay(t.db, t.store, t.app.get(CaseSealing), new AccessLog(t.db), publisher, {
        batchSize: 50,
        now: () => new Date().toISOString(),
      });
      relayRun = relay.run(stop.signal).catch((error: unknown) => void (relayFailure = error));
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
      const records = recordsOf(caseId)(
        await readTopic(
          shelterId,
          (r) => recordsOf(caseId)(r).length > 0,
          () => relayFailure,
        ),
      );
      const [received] = await decryptAll(shelterKey, records);
      expect(received).toMatchObject({ caseId, kind: 'update' });
      expect(received!.kind !== 'erasure' && received!.payload.view).toEqual(shown);
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
      const records = recordsOf(caseId)(
        await readTopic(
          shelterId,
          (r) => recordsOf(caseId)(r).some((m) => m.value?.toString().includes('"redaction"')),
          () => relayFailure,
        ),
      );
      const received = await decryptAll(shelterKey, records);
      const redaction = received.find((r) => r.kind === 'redaction');
      expect(redaction?.kind === 'redaction' && redaction.payload.delete).toEqual(expect.arrayContaining(['identity', 'notes']));
      const latest = latestPerCase(received).get(caseId);
      expect(latest?.kind !== 'erasure' && latest?.payload.view).toEqual(shown);
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
      const records = recordsOf(caseId)(
        await readTopic(
          shelterId,
          (r) => recordsOf(caseId)(r).some((m) => m.value === null),
          () => relayFailure,
        ),
      );
      expect(records.at(-1)).toMatchObject({ key: caseId, value: null });
      expect(latestPerCase(await decryptAll(shelterKey, records)).has(caseId)).toBe(false);
    });

    it("an agency's topic carries none of another agency's messages, and its key opens none of them", async () => {
      const toShelter = await referredCase(shelterId, 'shelter');
      // Published after the shelter's case: once the clinic's topic has it, the shelter's case was relayed too.
      const toClinic = await referredCase(clinicId, 'medical');
      const clinicRecords = await readTopic(
        clinicId,
        (r) => recordsOf(toClinic.caseId)(r).length > 0,
        () => relayFailure,
      );
      expect(clinicRecords.map((r) => r.key)).not.toContain(toShelter.caseId);
      // Every message of the clinic's topic opens with the clinic's key (readFeedRecord throws otherwise).
      await decryptAll(clinicKey, clinicRecords);
      const [shelterRecord] = recordsOf(toShelter.caseId)(
        await readTopic(
          shelterId,
          (r) => recordsOf(toShelter.caseId)(r).length > 0,
          () => relayFailure,
        ),
      );
      await expect(readFeedRecord(clinicKey, { key: Buffer.from(shelterRecord!.key), value: shelterRecord!.value })).rejects.toThrow();
    });
  },
);
