import { afterAll } from '@jest/globals';
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

/** What a read gives up on a failure it is told of: the relay's, when it runs in the test's process. */
type Failure = () => unknown;

/** One agency's topic, read from its start by a consumer group of its own, as a new partner consumer would. */
interface TopicConsumer {
  readonly records: RawRecord[];
  /** The next offset to read in each partition. */
  readonly next: Map<number, bigint>;
  disconnect(): Promise<void>;
}

/**
 * Reads agencies' topics for a whole describe block, each from its start, until `done` holds for what
 * was read or the bound runs out: never a timing assertion. The mock broker holds a new group's first
 * rebalance 3 s, so each topic gets one consumer that stays, not one per read.
 */
export class TopicReader {
  private readonly kafka = kafkaClient(testKafka);
  private readonly consumers = new Map<string, Promise<TopicConsumer>>();
  private readonly admin = this.kafka.admin();
  private adminConnected?: Promise<void>;

  /** Starts reading these agencies' topics now (their consumers join at the same time), before any read of them. */
  async open(...agencyIds: readonly string[]): Promise<void> {
    await Promise.all(agencyIds.map((agencyId) => this.consumerOf(feedTopic(agencyId))));
  }

  /**
   * Everything on the agency's topic once `done` holds for it: read up to the topic's end as it is
   * then, so what was published after the awaited record is in the answer too.
   */
  async read(agencyId: string, done: (records: readonly RawRecord[]) => boolean, failure?: Failure): Promise<RawRecord[]> {
    const topic = feedTopic(agencyId);
    const consumer = await this.consumerOf(topic);
    const bound = Date.now() + 45_000;
    const wait = async (until: () => boolean | Promise<boolean>) => {
      while (!(await until()) && Date.now() < bound) {
        const error = failure?.();
        if (error instanceof Error) throw error;
        if (error) throw new Error('the relay failed with something not an Error');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await wait(() => done(consumer.records));
    this.adminConnected ??= this.admin.connect();
    await this.adminConnected;
    const ends = await this.admin.fetchTopicOffsets(topic);
    await wait(() => ends.every(({ partition, high, low }) => (consumer.next.get(partition) ?? BigInt(low)) >= BigInt(high)));
    return [...consumer.records];
  }

  async close(): Promise<void> {
    const consumers = await Promise.all(this.consumers.values());
    this.consumers.clear();
    await Promise.all(consumers.map((c) => c.disconnect()));
    if (this.adminConnected) await this.admin.disconnect();
  }

  private consumerOf(topic: string): Promise<TopicConsumer> {
    let consumer = this.consumers.get(topic);
    if (!consumer) this.consumers.set(topic, (consumer = this.subscribe(topic)));
    return consumer;
  }

  private async subscribe(topic: string): Promise<TopicConsumer> {
    // The mock broker holds a group's first rebalance 3 s: a shorter session timeout never joins. An
    // empty fetch waits at most 100 ms (not 5 s), so what is published next is read soon after.
    const consumer = this.kafka.consumer({ groupId: `feed-test-${randomUUID()}`, sessionTimeout: 6000, maxWaitTimeInMs: 100 });
    const records: RawRecord[] = [];
    const next = new Map<number, bigint>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          key: message.key?.toString('utf8') ?? '',
          value: message.value,
          messageId: String(message.headers?.['message-id'] ?? ''),
        });
        next.set(partition, BigInt(message.offset) + 1n);
      },
    });
    return { records, next, disconnect: () => consumer.disconnect() };
  }
}

/** A reader of agencies' topics that the enclosing describe block shares, closed after its tests. */
export function useTopicReader(): TopicReader {
  const reader = new TopicReader();
  afterAll(() => reader.close());
  return reader;
}

/** Decrypts what was read with the agency's private key, as its consumer does. */
export const decryptAll = (privateJwk: JWK, records: readonly RawRecord[]): Promise<ReadFeedRecord[]> =>
  Promise.all(
    records.map((r) => readFeedRecord(privateJwk, { key: Buffer.from(r.key), value: r.value, headers: { 'message-id': r.messageId } })),
  );
