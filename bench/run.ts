/**
 * Benchmarks (not tests): event-store appends beside raw INSERTs of the same rows into the same
 * database in the same run, so the ratio says what the store's guarantees cost on this machine.
 *   npm run bench                 PGlite (a data directory on disk), and PostgreSQL when DATABASE_URL is set
 *   BENCH_EVENTS=5000 BENCH_CASES=1000 npm run bench
 * Then the rebuild of the read models, beside raw batched INSERTs of as many rows.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlEventStore } from '../libs/event-store/index.js';
import { PgliteDatabase, PostgresDatabase, type SqlDatabase } from '../libs/sql/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { READ_MODELS } from '../src/read-models.js';
import { WORKLOAD_AGENCIES, appendCase, withdrawConsent, workloadCaseId } from './case-workload.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const BATCH = 10;

/** A realistic event: about 500 bytes of JSON, like a sealed consent or referral. */
function payload() {
  return {
    data: { referralId: randomUUID(), sealed: { alg: 'A256GCM', v: 1, iv: randomBytes(12).toString('base64url'), ct: randomBytes(300).toString('base64url'), tag: randomBytes(16).toString('base64url') } },
    metadata: { actorUserId: randomUUID(), actorAgencyId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
  };
}

function progress(label: string, done: number, total: number) {
  if (done % Math.max(1, Math.floor(total / 20)) === 0 || done === total) {
    process.stdout.write(`\r  ${label.padEnd(44)} ${String(Math.round((100 * done) / total)).padStart(3)}%`);
    if (done === total) process.stdout.write('\n');
  }
}

async function timed(label: string, total: number, step: (i: number) => Promise<number>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let done = 0; done < total; ) {
    done += await step(done);
    progress(label, done, total);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return total / seconds;
}

async function benchmark(name: string, db: SqlDatabase) {
  const store = new SqlEventStore(db);
  await store.migrate();
  // The baseline: the same columns, keys and indexes (LIKE copies no triggers), none of the store's logic.
  await db.exec(`CREATE TABLE raw_events (LIKE events INCLUDING ALL)`);
  const insertRaw = `INSERT INTO raw_events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES `;
  const rowValues = (n: number) => Array.from({ length: n }, (_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`).join(', ');
  const rowParams = (stream: string, n: number) => Array.from({ length: n }, (_, r) => {
    const { data, metadata } = payload();
    return [stream, r, randomUUID(), 'ReferralRequested', data, metadata];
  }).flat();

  console.log(`\n${name}: ${EVENTS} events of ~500 bytes`);
  const rawSingle = await timed('raw INSERT, 1 row per autocommit', EVENTS, async () => {
    await db.query(insertRaw + rowValues(1), rowParams(`raw-${randomUUID()}`, 1));
    return 1;
  });
  const storeSingle = await timed('appendToStream, 1 event per append', EVENTS, async () => {
    const { data, metadata } = payload();
    await store.appendToStream(`case-${randomUUID()}`, [{ eventId: randomUUID(), type: 'ReferralRequested', data, metadata }], { expectedRevision: 'no_stream' });
    return 1;
  });
  const rawBatch = await timed(`raw INSERT, ${BATCH} rows per transaction`, EVENTS, async () => {
    await db.transaction((tx) => tx.query(insertRaw + rowValues(BATCH), rowParams(`raw-${randomUUID()}`, BATCH)));
    return BATCH;
  });
  const storeBatch = await timed(`appendToStream, ${BATCH} events per append`, EVENTS, async () => {
    const events = Array.from({ length: BATCH }, () => ({ eventId: randomUUID(), type: 'ReferralRequested', ...payload() }));
    await store.appendToStream(`case-${randomUUID()}`, events, { expectedRevision: 'no_stream' });
    return BATCH;
  });
  const rows = [
    ['1 event per append', rawSingle, storeSingle],
    [`${BATCH} events per append`, rawBatch, storeBatch],
  ] as const;
  console.log(`  ${'case'.padEnd(22)} ${'raw rows/s'.padStart(11)} ${'store events/s'.padStart(15)} ${'store / raw'.padStart(12)}`);
  for (const [label, raw, store_] of rows) {
    console.log(`  ${label.padEnd(22)} ${raw.toFixed(0).padStart(11)} ${store_.toFixed(0).padStart(15)} ${(store_ / raw).toFixed(2).padStart(12)}`);
  }
}

const CASES = Number(process.env.BENCH_CASES ?? 400);

/**
 * Rebuild: every event replayed into the read models (ProjectionRunner.rebuild), beside raw
 * batched INSERTs of as many rows of the same size as the case views, in batches as large.
 */
async function rebuildBenchmark(db: SqlDatabase) {
  const store = new SqlEventStore(db);
  await store.migrate();
  console.log(`\nRebuild of the read models (${db.driver})`);
  let events = 0;
  await timed(`appending ${CASES} cases through the decider`, CASES, async (n) => {
    events += await appendCase(store, n);
    return 1;
  });
  const runner = new ProjectionRunner('bench', db, store, READ_MODELS);
  await runner.migrate();
  await db.exec(`CREATE TABLE raw_views (agency_id uuid, case_id uuid, view jsonb, PRIMARY KEY (agency_id, case_id))`);
  const batch = 500;
  const raw = await timed(`raw INSERT, ${batch} rows per statement`, events, async (done) => {
    const n = Math.min(batch, events - done);
    const values = Array.from({ length: n }, (_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
    const params = Array.from({ length: n }, () => [randomUUID(), randomUUID(), JSON.stringify(payload())]).flat();
    await db.transaction((tx) => tx.query(`INSERT INTO raw_views (agency_id, case_id, view) VALUES ${values}`, params));
    return n;
  });
  // The first build also writes the audit chain; a rebuild (what `npm run rebuild` does) finds it in place.
  const rate = async (label: string, replay: (onProgress: (n: number) => void) => Promise<number>) => {
    const started = process.hrtime.bigint();
    await replay((applied) => progress(label, applied, events));
    return events / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const built = await rate('first build of the read models', (p) => runner.catchUp(p));
  const rebuilt = await rate('rebuild of the read models', (p) => runner.rebuild(p));
  console.log(`  ${events} events; raw ${raw.toFixed(0)} rows/s; first build ${built.toFixed(0)} events/s (${(built / raw).toFixed(2)} of raw); ` +
    `rebuild ${rebuilt.toFixed(0)} events/s, rebuild / raw ${(rebuilt / raw).toFixed(2)}`);
}

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);

/**
 * Withdrawal propagation: from the withdrawal's append returning to the recipient's stored view no
 * longer holding the withdrawn category, with the in-process projector following the store while
 * other cases are written at a steady rate (about 100 events/s).
 */
async function propagationBenchmark(db: SqlDatabase) {
  const store = new SqlEventStore(db, { pollIntervalMs: 200 });
  await store.migrate();
  console.log(`\nWithdrawal propagation (${db.driver}), ${SAMPLES} withdrawals`);
  const runner = new ProjectionRunner('propagation', db, store, READ_MODELS);
  await runner.migrate();
  const stop = new AbortController();
  const running = runner.run(stop.signal);
  // Cases whose number is not a multiple of 3 keep their consent in the workload: those are withdrawn here.
  const targets = Array.from({ length: SAMPLES }, (_, i) => 3 * i + 1);
  for (const [i, n] of targets.entries()) {
    await appendCase(store, n);
    progress('preparing the cases to withdraw from', i + 1, SAMPLES);
  }
  await runner.catchUp().catch(() => 0); // the follower may be applying the same batch: either way it ends applied
  let background = 10_000;
  const steady = setInterval(() => void appendCase(store, background++).catch(() => undefined), 40);
  const shelter = WORKLOAD_AGENCIES.shelter.agencyId;
  const holdsIdentity = async (n: number) => {
    const [row] = await db.query<{ holds: boolean }>(
      `SELECT (view->'personalData') ? 'identity' AS holds FROM agency_case_views WHERE agency_id = $1 AND case_id = $2`, [shelter, workloadCaseId(n)]);
    return row?.holds ?? false;
  };
  const latencies: number[] = [];
  try {
    for (const [i, n] of targets.entries()) {
      while (!(await holdsIdentity(n))) await new Promise((resolve) => setTimeout(resolve, 5));
      await withdrawConsent(store, n);
      const started = process.hrtime.bigint();
      while (await holdsIdentity(n)) await new Promise((resolve) => setTimeout(resolve, 2));
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      progress('withdrawing and waiting for the view', i + 1, SAMPLES);
    }
  } finally {
    clearInterval(steady);
    stop.abort();
    await running;
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
  console.log(`  propagation: p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${at(1).toFixed(0)} ms (target: p99 under 1000 ms)`);
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'referral-bench-'));
  try {
    const pglite = await PgliteDatabase.open(dataDir);
    await benchmark('PGlite (data directory on disk)', pglite);
    await pglite.close();
    // A fresh database: the rebuild replays real case events only.
    const fresh = await PgliteDatabase.open(join(dataDir, 'rebuild'));
    await rebuildBenchmark(fresh);
    await fresh.close();
    const live = await PgliteDatabase.open(join(dataDir, 'propagation'));
    await propagationBenchmark(live);
    await live.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('\nDATABASE_URL is not set: PostgreSQL benchmark skipped.');
    return;
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = await PostgresDatabase.open(url, { max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  try {
    const postgres = await PostgresDatabase.open(url, { searchPath: schema });
    await benchmark('PostgreSQL', postgres);
    await postgres.close();
    await admin.exec(`CREATE SCHEMA ${schema}_rebuild`);
    const fresh = await PostgresDatabase.open(url, { searchPath: `${schema}_rebuild` });
    await rebuildBenchmark(fresh);
    await fresh.close();
    await admin.exec(`CREATE SCHEMA ${schema}_live`);
    const live = await PostgresDatabase.open(url, { searchPath: `${schema}_live` });
    await propagationBenchmark(live);
    await live.close();
  } finally {
    await admin.exec(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_rebuild CASCADE; DROP SCHEMA IF EXISTS ${schema}_live CASCADE`);
    await admin.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
