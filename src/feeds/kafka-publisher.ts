import kafkajs, { type Producer, type SASLOptions } from 'kafkajs';
import { ConfigError } from '../config/app-config.js';
import type { FeedPublisher } from './feed-relay.js';
import { FEED_TOPIC_CONFIG, type FeedRecord } from './feed-message.js';

const { ConfigResourceTypes, Kafka, Partitioners, logLevel } = kafkajs;

/** The relay's Kafka settings, read from the environment; a wrong one stops the start naming it. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** The broker deduplicates the producer's retries (needs a real Kafka; librdkafka's mock test broker has no support). */
  readonly idempotent: boolean;
  /** Creates each agency's topic, compacted, before its first message (a real Kafka; the mock broker has no CreateTopics). */
  readonly createTopics: boolean;
  /** Checks each topic is compacted before its first message, refusing to publish otherwise (the mock broker has no DescribeConfigs). */
  readonly verifyTopics: boolean;
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
  const ssl = flag(env, 'KAFKA_SSL', false);
  // PLAIN sends the password as it is: only inside TLS.
  if (mechanism === 'plain' && !ssl)
    throw new ConfigError('KAFKA_SASL_MECHANISM', 'plain sends the password in clear: it needs KAFKA_SSL=true');
  return {
    brokers,
    clientId: env.KAFKA_CLIENT_ID || 'referrals-feed-relay',
    idempotent: flag(env, 'KAFKA_IDEMPOTENT', true),
    createTopics: flag(env, 'KAFKA_CREATE_TOPICS', true),
    verifyTopics: flag(env, 'KAFKA_VERIFY_TOPICS', true),
    ssl,
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
      // A topic made on demand would take the broker's defaults, not compaction: never.
      allowAutoTopicCreation: false,
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

  /**
   * A new agency's topic is created compacted before its first message (createTopics answers false
   * for one that exists), and checked: a topic that would keep redacted data for good is refused.
   */
  private async ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = [...new Set(topics)].filter((t) => !this.known.has(t));
    if (missing.length === 0) return;
    if (this.settings.createTopics || this.settings.verifyTopics) {
      const admin = kafkaClient(this.settings).admin();
      await admin.connect();
      try {
        if (this.settings.createTopics) {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({ topic, configEntries: [...FEED_TOPIC_CONFIG] })),
          });
        }
        if (this.settings.verifyTopics) {
          const described = await admin.describeConfigs({
            includeSynonyms: false,
            resources: missing.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [...CHECKED_TOPIC_CONFIG] })),
          });
          for (const resource of described.resources) {
            const refusal = topicRefusal(resource.configEntries);
            if (refusal) throw new UnfitFeedTopicError(resource.resourceName, refusal);
          }
        }
      } finally {
        await admin.disconnect();
      }
    }
    for (const topic of missing) this.known.add(topic);
  }
}

const CHECKED_TOPIC_CONFIG = ['cleanup.policy', 'max.compaction.lag.ms'] as const;
const MAX_COMPACTION_LAG_MS = 7 * 24 * 3_600_000;

/** A feed topic that would keep what a redaction or a tombstone replaces for good, or for over a week, is not fit. */
export function topicRefusal(entries: ReadonlyArray<{ configName: string; configValue: string | null }>): string | undefined {
  const value = (name: string) => entries.find((e) => e.configName === name)?.configValue ?? '';
  if (!value('cleanup.policy').split(',').includes('compact')) return 'its cleanup.policy is not compact';
  const lag = Number(value('max.compaction.lag.ms'));
  if (!Number.isFinite(lag) || lag <= 0 || lag > MAX_COMPACTION_LAG_MS) return 'its max.compaction.lag.ms is not at most a week';
  return undefined;
}

/** The relay refuses to publish to a topic that is not compacted (names the topic, a setting; no data). */
export class UnfitFeedTopicError extends Error {
  constructor(topic: string, reason: string) {
    super(`the feed topic ${topic} is not fit: ${reason} (see FEED_TOPIC_CONFIG in src/feeds/feed-message.ts)`);
    this.name = 'UnfitFeedTopicError';
  }
}
