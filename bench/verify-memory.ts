/**
 * Issue 11: verify must page with constant memory. After `npm run build`:
 *   node dist/bench/verify-memory.js fill <entries> <place>   a PGlite data directory, or with DATABASE_URL a new schema
 *   node dist/bench/verify-memory.js verify <place>           in a fresh process: RSS once open, and its peak while verifying
 * The records are half sealed events chained by the real chain projection, half chained access records.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sealMetadata } from '../libs/audit-chain/index.js';
import { SqlEventStore } from '../libs/event-store/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { PgliteDatabase, PostgresDatabase, type SqlDatabase } from '../libs/sql/index.js';
import { ACCESS_LOG_SCHEMA } from '../src/audit/access-log.js';
import { appendToChain } from '../src/audit/audit-chain.js';
import { notYetProjected, verifyAuditChain } from '../src/audit/audit-chain-verify.js';
import { accessContent } from '../src/audit/chain-content.js';
import { consentTrail } from '../src/audit/consent-trail.projection.js';

const [command, first, second] = process.argv.slice(2);
const mb = (bytes: number) => Math.round(bytes / 1_048_576);
/** Fixed, so the verifying process can check the MACs the filling one wrote. */
const key = Buffer.alloc(32, 7);

async function open(place: string, create: boolean): Promise<SqlDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) return PgliteDatabase.open(join(place, 'pgdata'));
  if (create) {
    const admin = await PostgresDatabase.open(url, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${place}`);
    await admin.close();
  }
  return PostgresDatabase.open(url, { searchPath: place });
}

async function fill(entries: number, place: string) {
  const db = await open(place, true);
  try {
    const ENTRIES = entries;
    const store = new SqlEventStore(db);
    await store.migrate();
    await db.exec(ACCESS_LOG_SCHEMA);
    const runner = new ProjectionRunner('verify-memory', db, store, [consentTrail]);
    await runner.migrate();
    const events = Math.floor(ENTRIES / 2);
    for (let done = 0; done < events; done += 1000) {
      const rows = Array.from({ length: Math.min(1000, events - done) }, () => {
        const stream = `case-${randomUUID()}`;
        const event = {
          eventId: randomUUID(),
          type: 'ReferralAcknowledged',
          data: {
            referralId: randomUUID(),
            by: randomUUID(),
            at: new Date().toISOString(),
            sealed: randomBytes(300).toString('base64url'),
          },
          metadata: { actorUserId: randomUUID(), occurredAt: new Date().toISOString() },
        };
        return {
          stream_id: stream,
          stream_revision: 0,
          event_id: event.eventId,
          event_type: event.type,
          data: event.data,
          metadata: sealMetadata(key, { ...event, streamId: stream }),
        };
      });
      await db.query(
        `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata)
        SELECT stream_id, stream_revision, event_id, event_type, data, metadata FROM jsonb_to_recordset($1::jsonb)
          AS r(stream_id text, stream_revision bigint, event_id uuid, event_type text, data jsonb, metadata jsonb)`,
        [JSON.stringify(rows)],
      );
    }
    await runner.catchUp();
    for (let done = events; done < ENTRIES; done += 1000) {
      await db.transaction(async (tx) => {
        const rows = await tx.query<Parameters<typeof accessContent>[0]>(
          `INSERT INTO personal_data_access (accessed_at, user_id, agency_id, case_id, categories, legal_basis)
           SELECT now(), 'user-' || g, 'agency', gen_random_uuid(), '{identity}', '{"owner": true}' FROM generate_series(1, $1) AS g RETURNING *`,
          [Math.min(1000, ENTRIES - done)],
        );
        await appendToChain(
          tx,
          rows.map((row) => ({ kind: 'access', ref: String(row.id), content: accessContent(row) })),
        );
      });
    }
    console.log(`filled ${place} with ${ENTRIES} chained records`);
  } finally {
    await db.close();
  }
}

async function verify(place: string) {
  const db = await open(place, false);
  try {
    const store = new SqlEventStore(db);
    const runner = new ProjectionRunner('verify-memory', db, store, [consentTrail]);
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let heapPeak = process.memoryUsage().heapUsed;
    const sample = () => {
      const usage = process.memoryUsage();
      peak = Math.max(peak, usage.rss);
      heapPeak = Math.max(heapPeak, usage.heapUsed);
    };
    const sampler = setInterval(sample, 5);
    const started = Date.now();
    const result = await verifyAuditChain(db, store, { macKey: key, pending: notYetProjected(runner, store) });
    clearInterval(sampler);
    sample();
    // On PGlite the database's own page cache lives in this process too; the JS heap is verify's own share.
    console.log(
      JSON.stringify({
        driver: db.driver,
        entries: result.entries,
        verified: result.verified,
        rssBeforeMb: mb(before),
        rssPeakMb: mb(peak),
        jsHeapPeakMb: mb(heapPeak),
        seconds: (Date.now() - started) / 1000,
      }),
    );
  } finally {
    await db.close();
  }
}

(command === 'fill'
  ? fill(Number(first), second!)
  : command === 'verify'
    ? verify(first!)
    : Promise.reject(new Error('fill <entries> <place> | verify <place>'))
).catch((error: unknown) => {
  console.error('verify-memory failed:', error);
  process.exit(1);
});
