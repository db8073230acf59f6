import { describe, expect, it } from '@jest/globals';
import { decryptAll, caseKeyIn, partnerKeyPair, TEST_BROKERS, useTopicReader } from './support/kafka-feeds.js';
import { read, referredCase } from './support/case-steps.js';
import { useTestApp } from './support/test-app.js';

/** The embedded deployment's feeds: its database belongs to the service's process, so the service relays itself. */
(TEST_BROKERS ? describe : describe.skip)('the feed relay inside the service (FEED_RELAY=in-process, embedded database)', () => {
  const t = useTestApp({
    settings: {
      FEED_RELAY: 'in-process',
      KAFKA_BROKERS: TEST_BROKERS,
      // The mock broker has no CreateTopics, DescribeConfigs or idempotent producer.
      KAFKA_IDEMPOTENT: 'false',
      KAFKA_CREATE_TOPICS: 'false',
      KAFKA_VERIFY_TOPICS: 'false',
    },
  });
  const topics = useTopicReader();

  it("publishes a referral to the receiving agency's topic, with exactly what the agency reads over HTTP", async () => {
    const shelterId = await t.agencyId('Shelter');
    // Its consumer joins the mock broker's group (3 s) while the case is made; the read below awaits it and shows its failure.
    topics.open(shelterId).catch(() => undefined);
    const { publicJwk, privateJwk } = await partnerKeyPair();
    await t.http
      .put('/agency/feed-key')
      .set(await t.bearer('admin.shelter'))
      .send({ jwk: publicJwk })
      .expect(200);
    const { caseId } = await referredCase(t, shelterId, { person: { identity: { fullName: 'In-Process Feed Person' } } });
    const key = await caseKeyIn(t.db, shelterId, caseId);
    const records = (await topics.read(shelterId, (r) => r.some((m) => m.key === key))).filter((r) => r.key === key);
    const [received] = await decryptAll(privateJwk, records);
    expect(received?.kind !== 'tombstone' && received?.payload.view).toEqual(await read(t, `/cases/${caseId}`, 'caseworker.shelter'));
  });
});
