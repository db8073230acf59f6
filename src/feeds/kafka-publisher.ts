import kafkajs, { type Producer } from 'kafkajs';
import type { FeedPublisher } from './feed-relay.js';
import { FEED_TOPIC_CONFIG, type FeedRecord } from './feed-message.js';
import type { KafkaSettings } from './kafka-settings.js';

const { ConfigResourceTypes, Kafka, Partitioners, logLevel } = kafkajs;

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
