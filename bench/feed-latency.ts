/**
 * Withdrawal → redaction at the agency's Kafka consumer: from the withdrawal's append call to
 * a partner consumer (kafkajs, decrypting with the agency's private key) holding the redaction of
 * that case, with the relay following the store in process while other cases are written at a
 * steady rate (about 100 events/s, each referral a message on the same topic). The broker is
 * KAFKA_BENCH_BROKERS, or librdkafka's mock cluster (test/support/kafka-mock-broker) started here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { MasterKey, PersonalDataCipher, SqlDataKeyStore } from '../libs/crypto/index.js';
import { type CaseCommand, type CaseEvent, type Sealed, caseDecider } from '../libs/domain/index.js';
import { type EventStore, SqlEventStore } from '../libs/event-store/index.js';
import type { SqlDatabase } from '../libs/sql/index.js';
import { AccessLog } from '../src/audit/access-log.js';
import { exportJWK, generateKeyPair } from 'jose';
import { FeedKeys } from '../src/feeds/feed-keys.js';
import { feedTopic } from '../src/feeds/feed-message.js';
import { readFeedRecord } from '../src/feeds/feed-reader.js';
import { CaseSealing } from '../src/cases/case-sealing.js';
import { FeedRelay } from '../src/feeds/feed-relay.js';
import { KafkaFeedPublisher, kafkaClient } from '../src/feeds/kafka-publisher.js';
import type { KafkaSettings } from '../src/feeds/kafka-settings.js';
import { Clock } from '../src/platform/clock.js';
import { migrateSchema } from '../src/platform/schema.js';
import { WORKLOAD_AGENCIES, caseCommands, registerWorkloadAgencies, withdrawConsent, workloadCaseId } from './case-workload.js';
import { quantile } from './load.js';

const MOCK_BROKER = 'test/support/kafka-mock-broker/kafka-mock-broker';

/** Case `n` of the workload with its personal data sealed for real (the relay opens it), one append per command; the ids of its events. */
export async function appendSealedCase(
  store: EventStore,
  cipher: PersonalDataCipher,
  n: number,
): Promise<Array<{ eventId: string; type: string }>> {
  const caseId = workloadCaseId(n);
  const seal = async (category: string) =>
    (await cipher.encrypt(caseId, category, { note: `workload ${category} ${n}` })) as unknown as Sealed;
  const personalData = { identity: await seal('identity'), location: await seal('location') };
  let state = caseDecider.initialState();
  const appended: Array<{ eventId: string; type: string }> = [];
  for (const command of caseCommands(n, new Date().toISOString())) {
    const sealed = (command.type === 'OpenCase' ? { ...command, personalData } : command) as CaseCommand;
    const decided: CaseEvent[] = caseDecider.decide(sealed, state);
    state = decided.reduce(caseDecider.evolve, state);
    const events = decided.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata: {} }));
    await store.appendToStream(`case-${caseId}`, events, { expectedRevision: appended.length === 0 ? 'no_stream' : appended.length - 1 });
    appended.push(...events);
  }
  return appended;
}

/** librdkafka's mock cluster, when built (`test/support/kafka-mock-broker/build.sh`); undefined otherwise. */
async function mockBroker(): Promise<{ brokers: string; child: ChildProcess } | undefined> {
  if (!existsSync(MOCK_BROKER)) return undefined;
  const child = spawn(MOCK_BROKER, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const [line] = await Promise.race([
    lines.next().then((r) => [String(r.value ?? '')]),
    new Promise<string[]>((resolve) => child.once('exit', () => resolve(['']))),
  ]);
  return line?.startsWith('bootstrap ') ? { brokers: line.slice('bootstrap '.length), child } : undefined;
}

/** p50/p99 in ms, or undefined when no broker is at hand (said so on the console). */
export async function feedLatencyBenchmark(db: SqlDatabase, samples: number): Promise<{ p50: number; p99: number } | undefined> {
  const given = process.env.KAFKA_BENCH_BROKERS;
  const mock = given ? undefined : await mockBroker();
  if (!given && !mock) {
    console.log('\n  withdrawal → Kafka redaction: skipped (no KAFKA_BENCH_BROKERS, no mock broker built)');
    return undefined;
  }
  // The mock broker has no CreateTopics and no idempotent producer.
  const kafka: KafkaSettings = {
    brokers: (given ?? mock!.brokers).split(','),
    clientId: 'feed-bench',
    idempotent: !!given,
    createTopics: !!given,
    verifyTopics: !!given,
    ssl: false,
  };
  const broker = given ? 'KAFKA_BENCH_BROKERS' : 'librdkafka mock broker';
  console.log(`\n  withdrawal → redaction at the agency's Kafka consumer: ${samples} withdrawals amid steady writes (${broker})`);
  await migrateSchema(db);
  await registerWorkloadAgencies(db);
  const store = new SqlEventStore(db, { pollIntervalMs: 200 });
  const cipher = new PersonalDataCipher(new SqlDataKeyStore(db, MasterKey.fromBase64(randomBytes(32).toString('base64'))));
  const shelter = WORKLOAD_AGENCIES.shelter;
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const admin = { userId: 'bench', agencyId: shelter.agencyId, agencyKind: shelter.agencyKind, role: 'agency_admin' as const };
  await new FeedKeys(db, new Clock()).register(admin, await exportJWK(publicKey));

  const publisher = new KafkaFeedPublisher(kafka);
  await publisher.connect();
  const stop = new AbortController();
  const relay = new FeedRelay(db, store, new CaseSealing(cipher), new AccessLog(db), publisher, {
    batchSize: 200,
    now: () => new Date().toISOString(),
  });
  const relaying = relay.run(stop.signal);
  // The partner: a consumer group of its own, short fetch waits, decrypting every message as it must to act on it.
  const redacted = new Map<string, bigint>();
  let received = 0;
  const consumer = kafkaClient(kafka).consumer({ groupId: `feed-bench-${randomUUID()}`, sessionTimeout: 6000, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic: feedTopic(shelter.agencyId), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const record = await readFeedRecord(privateJwk, message);
      received++;
      if (record.kind === 'redaction' && !redacted.has(record.caseId)) redacted.set(record.caseId, process.hrtime.bigint());
    },
  });
  // Cases whose number is not a multiple of 3 keep their consent in the workload: those are withdrawn here.
  const targets = Array.from({ length: samples }, (_, i) => 3 * i + 1);
  for (const n of targets) await appendSealedCase(store, cipher, n);
  // The consumer has joined once it has the prepared cases' messages (two each: the referral and its acknowledgement).
  while (received < 2 * samples) await new Promise((resolve) => setTimeout(resolve, 20));
  let background = 10_000;
  const writing = new Set<Promise<unknown>>();
  const steady = setInterval(() => {
    const write = appendSealedCase(store, cipher, background++).finally(() => writing.delete(write));
    writing.add(write);
  }, 40);
  const latencies: number[] = [];
  try {
    for (const n of targets) {
      const started = process.hrtime.bigint();
      await withdrawConsent(store, n);
      while (!redacted.has(workloadCaseId(n))) await new Promise((resolve) => setTimeout(resolve, 2));
      latencies.push(Number(redacted.get(workloadCaseId(n))! - started) / 1e6);
    }
  } finally {
    clearInterval(steady);
    await Promise.all(writing);
    stop.abort();
    await relaying;
    await consumer.disconnect();
    await publisher.disconnect();
    mock?.child.kill('SIGTERM');
  }
  latencies.sort((a, b) => a - b);
  console.log(`  ✓ every withdrawal's redaction received and decrypted (${latencies.length}), ${received} messages in all`);
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}
