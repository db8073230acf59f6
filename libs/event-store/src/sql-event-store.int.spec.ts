import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { testDatabases } from '../../testing/index.js';
import { drain, eventStoreContract } from './event-store.contract.js';
import { SqlEventStore } from './sql-event-store.js';
import type { SqlDatabase } from '../../sql/index.js';

for (const database of testDatabases()) {
  eventStoreContract(`SqlEventStore on ${database.name}`, async () => {
    const db = await database.open();
    return { store: new SqlEventStore(db, { pollIntervalMs: 20 }), close: () => db.close(), nearPowerOfTen: () => nearPowerOfTen(db) };
  });

  describe(`SqlEventStore on ${database.name}: the database keeps events immutable`, () => {
    it('refuses an INSERT that picks its own position, and the store reads on past the attempt', async () => {
      const db = await database.open();
      try {
        const store = new SqlEventStore(db);
        await store.migrate();
        const appendOne = (stream: string) =>
          store.appendToStream(stream, [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], { expectedRevision: 'no_stream' });
        await appendOne('case-before');
        const picked = `INSERT INTO events (global_position, stream_id, stream_revision, event_id, event_type, data, metadata) OVERRIDING SYSTEM VALUE
          VALUES ($1, 'case-far', 0, $2, 'Far', '{}', '{}')`;
        await expect(db.query(picked, ['9000000000000000000', randomUUID()])).rejects.toThrow(/events take their position from the store/);
        await appendOne('case-after');
        expect((await drain(store, null)).events.map((e) => e.streamId)).toEqual(['case-before', 'case-after']);
      } finally {
        await db.close();
      }
    });

    it.each(['UPDATE events SET event_type = $1', 'DELETE FROM events WHERE event_type <> $1', 'TRUNCATE events'])(
      'refuses %s',
      async (sql) => {
        const db = await database.open();
        try {
          const store = new SqlEventStore(db);
          await store.migrate();
          await store.appendToStream('case-x', [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], {
            expectedRevision: 'no_stream',
          });
          await expect(db.query(sql, sql.includes('$1') ? ['X'] : [])).rejects.toThrow(/events are immutable/);
          expect(await store.readStream('case-x')).toHaveLength(1);
        } finally {
          await db.close();
        }
      },
    );
  });
}

const url = process.env.DATABASE_URL;
const onPostgres = url ? describe : describe.skip;
if (!url) console.info('DATABASE_URL is not set: the concurrent-appender tests (PostgreSQL only) are skipped.');

onPostgres('SqlEventStore on postgres: readers following global order never skip a late commit', () => {
  const appendRaw = (client: pg.PoolClient | pg.Client, streamId: string) =>
    client.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ($1, 0, $2, 'Slow', '{}', '{}')`,
      [streamId, randomUUID()],
    );

  const openOnPostgres = async () => {
    const [database] = testDatabases().filter((d) => d.name === 'postgres');
    const db = await database!.open();
    const store = new SqlEventStore(db);
    await store.migrate();
    const { schema } = (await db.query<{ schema: string }>('SELECT current_schema() AS schema'))[0]!;
    return { db, store, schema };
  };

  it('gives a later append a later position, even when an INSERT written by hand holds its transaction open', async () => {
    const { db, store, schema } = await openOnPostgres();
    const slow = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await slow.connect();
    try {
      const start = await drain(store, null);
      // A slow transaction inserts first and stays open...
      await slow.query('BEGIN');
      await appendRaw(slow, 'case-slow');
      // ...so a quick append waits for it instead of taking a position a reader could pass first.
      const quick = store.appendToStream('case-quick', [{ eventId: randomUUID(), type: 'Quick', data: {}, metadata: {} }], {
        expectedRevision: 'no_stream',
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const whileOpen = await store.readAll(start.next, 100);
      expect(whileOpen.events).toEqual([]);
      await slow.query('COMMIT');
      await quick;
      const after = await store.readAll(whileOpen.next, 100);
      expect(after.events.map((e) => e.type)).toEqual(['Slow', 'Quick']);
    } finally {
      await slow.end();
      await db.close();
    }
  });

  it.each([
    ['in another database on the same server', 'postgres'],
    ['in the same database, on another table', undefined],
  ])('is not held back by a long transaction %s', async (_, otherDatabase) => {
    const { db, store, schema } = await openOnPostgres();
    const elsewhere = new pg.Client(
      otherDatabase ? { connectionString: url, database: otherDatabase } : { connectionString: url, options: `-c search_path=${schema}` },
    );
    await elsewhere.connect();
    try {
      const start = await drain(store, null);
      // A transaction that holds a transaction id and does not end.
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()');
      const appended = await store.appendToStream(
        'case-while-open',
        [{ eventId: randomUUID(), type: 'Appended', data: {}, metadata: {} }],
        { expectedRevision: 'no_stream' },
      );
      const read = await store.readAll(start.next, 100);
      expect(read.events.map((e) => e.type)).toEqual(['Appended']);
      expect(read.next).toBe(appended.position);
      expect(await store.behind(read.next)).toEqual({ events: 0, firstRecordedAt: null });
    } finally {
      await elsewhere.query('ROLLBACK').catch(() => undefined);
      await elsewhere.end();
      await db.close();
    }
  });

  it('delivers every event exactly once to a follower while 8 appenders write concurrently', async () => {
    const [database] = testDatabases().filter((d) => d.name === 'postgres');
    const db = await database!.open();
    const store = new SqlEventStore(db, { pollIntervalMs: 10 });
    await store.migrate();
    const appended: string[] = [];
    const seen: string[] = [];
    const abort = new AbortController();
    const positions = new Map<string, string[]>();
    const follower = (async () => {
      for await (const batch of store.follow({ from: null, signal: abort.signal, batchSize: 50 })) {
        for (const e of batch.events) positions.set(e.eventId, [...(positions.get(e.eventId) ?? []), e.position]);
        seen.push(...batch.events.map((e) => e.eventId));
      }
    })();
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; i < 40; i++) {
          const eventId = randomUUID();
          appended.push(eventId);
          await store.appendToStream(`case-${writer}-${i % 5}`, [{ eventId, type: 'Stress', data: { writer, i }, metadata: {} }], {
            expectedRevision: 'any',
          });
        }
      }),
    );
    const deadline = Date.now() + 20_000;
    while (new Set(seen).size < appended.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    abort.abort();
    await follower;
    await db.close();
    const twice = [...positions].filter(([, at]) => at.length > 1);
    if (twice.length > 0) console.error('delivered more than once:', JSON.stringify(twice));
    expect(seen).toHaveLength(appended.length);
    expect(new Set(seen)).toEqual(new Set(appended));
  });
});

/**
 * How many transaction ids a test may burn: a fresh PGlite starts near 750, and a shared server is
 * left alone unless it is about to cross anyway (each crossing would push the next one ten times
 * further for every later run).
 */
const MAX_IDS_TO_BURN = { pglite: 10_000, postgres: 1_000 } as const;
let farFromPowerOfTen = false;

/**
 * Brings the server's transaction ids and the store's next position to just below a power of ten.
 * Transaction ids are burned by subtransactions that write and roll back; a server already far
 * from its next power of ten (a long-lived one) crosses positions only, and says so.
 */
async function nearPowerOfTen(db: SqlDatabase): Promise<void> {
  const { xid } = (await db.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid'))[0]!;
  const burn = nextPowerOfTen(Number(xid) + 10) - Number(xid) - 5;
  if (burn <= MAX_IDS_TO_BURN[db.driver]) {
    await db.exec(`CREATE TEMP TABLE IF NOT EXISTS burnt_ids (n int);
      DO $$ BEGIN FOR i IN 1..${burn} LOOP
        BEGIN INSERT INTO burnt_ids VALUES (i); RAISE EXCEPTION 'undo'; EXCEPTION WHEN raise_exception THEN NULL; END;
      END LOOP; END $$;`);
  } else if (!farFromPowerOfTen) {
    farFromPowerOfTen = true;
    console.info(
      `Transaction id ${xid} is more than ${MAX_IDS_TO_BURN[db.driver]} from a power of ten on ${db.driver}: only positions cross one there.`,
    );
  }
  const { last } = (await db.query<{ last: string | null }>('SELECT max(global_position)::text AS last FROM events'))[0]!;
  await db.query("SELECT setval(pg_get_serial_sequence('events', 'global_position'), $1)", [nextPowerOfTen(Number(last ?? 0) + 1000) - 5]);
}

const nextPowerOfTen = (n: number) => 10 ** Math.ceil(Math.log10(n));
