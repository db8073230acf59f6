import { randomUUID } from 'node:crypto';
import { type JWK, exportJWK, generateKeyPair } from 'jose';
import type { SqlClient } from '../../libs/sql/index.js';
import { feedTopic } from '../../src/feeds/feed-message.js';
import { feedCaseKey } from '../../src/feeds/feed-pseudonyms.js';
import { type ReadFeedRecord, readFeedRecord } from '../../src/feeds/feed-reader.js';
import { kafkaClient } from '../../src/feeds/kafka-publisher.js';
import type { KafkaSettings } from '../../src/feeds/kafka-settings.js';

/** The broker jest's global setup started (librdkafka's mock cluster), or one given from outside. */
export const TEST_BROKERS = process.env.KAFKA_TEST_BROKERS;
if (!TEST_BROKERS) console.info('KAFKA_TEST_BROKERS is not set (no mock broker; install librdkafka-dev): Kafka feed tests skipped.');

/** The mock broker has no CreateTopics, DescribeConfigs or idempotent producer: it makes a topic when asked for one, idempotence off. */
export const testKafka: KafkaSettings = {
  brokers: (TEST_BROKERS ?? '').split(','),
  clientId: 'feed-tests',
  idempotent: false,
  createTopics: false,
  verifyTopics: false,
  ssl: false,
};

/** The secret an agency's pseudonyms are made with, as the relay reads it. */
export async function feedSecretOf(db: SqlClient, agencyId: string): Promise<string> {
  const [row] = await db.query<{ pseudonym_secret: string }>('SELECT pseudonym_secret FROM agency_feed_keys WHERE agency_id = $1', [
    agencyId,
  ]);
  if (!row) throw new Error('the agency has no feed key');
  return row.pseudonym_secret;
}

/** The record key of a case in an agency's topic. */
export const caseKeyIn = async (db: SqlClient, agencyId: string, caseId: string): Promise<string> =>
  feedCaseKey(await feedSecretOf(db, agencyId), caseId);

/** A partner's key pair; the public half is what its admin registers. */
export async function partnerKeyPair(alg: 'ECDH-ES+A256KW' | 'RSA-OAEP-256' = 'ECDH-ES+A256KW') {
  const rsa = alg === 'RSA-OAEP-256' ? { modulusLength: 2048 } : {};
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...rsa });
  return { publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}

export interface RawRecord {
  readonly key: string;
  readonly value: Buffer | null;
  readonly messageId: string;
}

/**
 * Reads an agency's topic from its start, as a new partner consumer would (a consumer group of its
 * own), until `done` holds for what was read or the bound runs out: never a timing assertion.
 */
export async function readTopic(
  agencyId: string,
  done: (records: readonly RawRecord[]) => boolean,
  failure?: () => unknown,
): Promise<RawRecord[]> {
  // The mock broker holds a group's first rebalance 3 s: a shorter session timeout never joins.
  const consumer = kafkaClient(testKafka).consumer({ groupId: `feed-test-${randomUUID()}`, sessionTimeout: 6000 });
  const records: RawRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: feedTopic(agencyId), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void records.push({
          key: message.key?.toString('utf8') ?? '',
          value: message.value,
          messageId: String(message.headers?.['message-id'] ?? ''),
        }),
    });
    for (let waited = 0; !done(records) && waited < 45_000; waited += 100) {
      const error = failure?.();
      if (error instanceof Error) throw error;
      if (error) throw new Error('the relay failed with something not an Error');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** Decrypts what was read with the agency's private key, as its consumer does. */
export const decryptAll = (privateJwk: JWK, records: readonly RawRecord[]): Promise<ReadFeedRecord[]> =>
  Promise.all(
    records.map((r) => readFeedRecord(privateJwk, { key: Buffer.from(r.key), value: r.value, headers: { 'message-id': r.messageId } })),
  );
