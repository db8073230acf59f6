/**
 * An example partner consumer (`npm run feed:consume -- --agency <id> --key <private-jwk.json>`):
 * reads the agency's topic, decrypts each message with the agency's private key and prints what
 * the agency receives, one JSON line per message, skipping messages already seen (by message id).
 * What to do with each: `update` replace the case's copy, `redaction` also delete the categories
 * listed in `delete`, `erasure` (a tombstone) delete everything held about the case.
 *
 *   --brokers host:port[,…]   default KAFKA_BROKERS
 *   --group <id>              the consumer group, default feed-consume-<agency>
 *   --from-beginning          read the topic from its start (a new group starts at the end otherwise)
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { feedTopic } from './feed-message.js';
import { readFeedRecord } from './feed-reader.js';
import { kafkaClient } from './kafka-publisher.js';
import { kafkaSettings } from './kafka-settings.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string' },
      key: { type: 'string' },
      brokers: { type: 'string' },
      group: { type: 'string' },
      'from-beginning': { type: 'boolean', default: false },
    },
  });
  if (!values.agency || !values.key) {
    throw new Error('usage: npm run feed:consume -- --agency <id> --key <private JWK file> [--brokers host:port] [--from-beginning]');
  }
  const privateJwk = JSON.parse(await readFile(values.key, 'utf8')) as JWK;
  const brokers = values.brokers ? { KAFKA_BROKERS: values.brokers } : {};
  const settings = kafkaSettings({ ...process.env, ...brokers, KAFKA_CLIENT_ID: 'feed-consume' });
  // The test broker (librdkafka's mock) holds the first rebalance 3 s: a shorter session never joins.
  const consumer = kafkaClient(settings).consumer({ groupId: values.group ?? `feed-consume-${values.agency}`, sessionTimeout: 10_000 });
  const seen = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topic: feedTopic(values.agency), fromBeginning: values['from-beginning'] });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void consumer.disconnect().then(() => process.exit(0)));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const record = await readFeedRecord(privateJwk, message);
      if (seen.has(record.messageId)) return;
      seen.add(record.messageId);
      console.log(JSON.stringify({ offset: message.offset, ...record }));
    },
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : 'the consumer stopped');
  process.exit(1);
});
