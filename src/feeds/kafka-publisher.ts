import kafkajs, { type Producer, type SASLOptions } from 'kafkajs';
import { ConfigError } from '../config/app-config.js';
import type { FeedPublisher } from './feed-relay.js';
import { FEED_TOPIC_CONFIG, type FeedRecord } from './feed-message.js';

const { Kafka, Partitioners, logLevel } = kafkajs;

/** The relay's Kafka settings, read from the environment; a wrong one stops the start naming it. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** The broker deduplicates the producer's retries (needs a real Kafka; librdkafka's mock test broker has no support). */
  readonly idempotent: boolean;
  /** Creates each agency's topic, compacted, before its first message (a real Kafka; the mock broker auto-creates instead). */
  readonly createTopics: boolean;
  readonly ssl: boolean;
  readonly sasl?: SASLOptions;
}

const flag = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean => {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (value !== 'true' && value !== 'false') throw new ConfigError(name, 'must be true or false');
  return value === 'true';
};

export function kafkaSettings(env: NodeJS.ProcessEnv): KafkaSettings {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new ConfigError('KAFKA_BROKERS', 'is required: comma-separated host:port of the Kafka brokers');
  if (brokers.some((b) => !/^[^\s:]+:\d{1,5}$/.test(b))) throw new ConfigError('KAFKA_BROKERS', 'each broker is host:port');
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism !== undefined && !['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism)) {
    throw new ConfigError('KAFKA_SASL_MECHANISM', 'is plain, scram-sha-256 or scram-sha-512');
  }
  const [username, password] = [env.KAFKA_SASL_USERNAME, env.KAFKA_SASL_PASSWORD];
  if (mechanism && (!username || !password)) {
    throw new ConfigError('KAFKA_SASL_USERNAME', 'and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM');
  }
  return {
    brokers,
    clientId: env.KAFKA_CLIENT_ID || 'referrals-feed-relay',
    idempotent: flag(env, 'KAFKA_IDEMPOTENT', true),
    createTopics: flag(env, 'KAFKA_CREATE_TOPICS', true),
    ssl: flag(env, 'KAFKA_SSL', false),
    ...(mechanism ? { sasl: { mechanism, username, password } as SASLOptions } : {}),
  };
}

export const kafkaClient = (settings: KafkaSettings) =>
  new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    ...(settings.sasl ? { sasl: settings.sasl } : {}),
    // kafkajs logs broker addresses and errors, never message contents.
    logLevel: logLevel.WARN,
  });

/** Publishes with acks from all in-sync replicas; resolves only once the broker acknowledged every record. */
export class KafkaFeedPublisher implements FeedPublisher {
  private readonly producer: Producer;
  private readonly known = new Set<string>();

  constructor(private readonly settings: KafkaSettings) {
    this.producer = kafkaClient(settings).producer({
      idempotent: settings.idempotent,
      // Idempotence keeps order across retries only with one request in flight per connection.
      ...(settings.idempotent ? { maxInFlightRequests: 1 } : {}),
      allowAutoTopicCreation: !settings.createTopics,
      // Keyed records: the case id alone chooses the partition (murmur2, as the Java client does).
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish(records: readonly FeedRecord[]): Promise<void> {
    await this.ensureTopics(records.map((r) => r.topic));
    const byTopic = new Map<string, FeedRecord[]>();
    for (const record of records) byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers } })),
      })),
    });
  }

  /** A new agency's topic is created compacted before its first message (createTopics answers false for one that exists). */
  private async ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = [...new Set(topics)].filter((t) => !this.known.has(t));
    if (missing.length === 0) return;
    if (this.settings.createTopics) {
      const admin = kafkaClient(this.settings).admin();
      await admin.connect();
      try {
        const created = missing.map((topic) => ({ topic, configEntries: [...FEED_TOPIC_CONFIG] }));
        await admin.createTopics({ waitForLeaders: true, topics: created });
      } finally {
        await admin.disconnect();
      }
    }
    for (const topic of missing) this.known.add(topic);
  }
}
