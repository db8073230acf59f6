/**
 * The feed relay as its own process (`npm run relay`), beside the service on PostgreSQL: follows
 * the event store and publishes each agency's feed to Kafka (feed-relay.ts). It logs in as the
 * app's role and holds the master key, as it opens personal data to encrypt it for each agency.
 * On any failure it exits non-zero and is restarted by its supervisor; it resumes from its checkpoint.
 */
import { MasterKey, PersonalDataCipher, SqlDataKeyStore } from '../../libs/crypto/index.js';
import { AccessLog } from '../audit/access-log.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { CaseSealing } from '../cases/case-sealing.js';
import { openEventStore } from '../platform/event-store.factory.js';
import { openDatabase } from '../platform/persistence.module.js';
import { SchemaNotReadyError, prepareSchema } from '../platform/schema.js';
import { FeedRelay } from './feed-relay.js';
import { KafkaFeedPublisher, UnfitFeedTopicError } from './kafka-publisher.js';
import { kafkaSettings } from './kafka-settings.js';

function batchSize(env: NodeJS.ProcessEnv): number {
  const text = env.RELAY_BATCH_SIZE ?? '200';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 5000) throw new ConfigError('RELAY_BATCH_SIZE', 'must be an integer from 1 to 5000');
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.cwd(), false);
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL', 'is required: the relay runs beside the service on PostgreSQL (PGlite belongs to one process)');
  }
  if (!config.masterKey) throw new ConfigError('MASTER_KEY', 'is required: the relay opens personal data to encrypt it for each agency');
  const kafka = kafkaSettings(process.env);
  const size = batchSize(process.env);
  const db = await openDatabase(config, prepareSchema);
  const events = await openEventStore(config, db);
  const publisher = new KafkaFeedPublisher(kafka);
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  try {
    await publisher.connect();
    let published = 0;
    let reported = Date.now();
    const sealing = new CaseSealing(new PersonalDataCipher(new SqlDataKeyStore(db, MasterKey.fromBase64(config.masterKey))));
    const relay = new FeedRelay(db, events.store, sealing, new AccessLog(db), publisher, {
      batchSize: size,
      now: () => new Date().toISOString(),
      // Counts only, at most every ten seconds: never anything from a message.
      onBatch: (count) => {
        published += count;
        if (Date.now() - reported < 10_000) return;
        console.error(`feed relay: ${published} messages published and acknowledged`);
        reported = Date.now();
      },
    });
    console.error('feed relay: following the event store (Ctrl-C to stop)');
    await relay.run(stop.signal);
  } finally {
    await publisher.disconnect().catch(() => undefined);
    await events.close();
    await db.close();
  }
}

main().catch((error: unknown) => {
  // These messages name a setting or an error's kind, never data.
  if (error instanceof ConfigError || error instanceof SchemaNotReadyError || error instanceof UnfitFeedTopicError)
    console.error(`Cannot run the feed relay: ${error.message}`);
  else console.error('The feed relay stopped:', error instanceof Error ? error.name : 'unknown error');
  process.exit(1);
});
