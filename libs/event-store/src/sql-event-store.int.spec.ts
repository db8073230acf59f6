import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { testDatabases } from '../../testing/index.js';
import { drain, eventStoreContract } from './event-store.contract.js';
import { SqlEventStore } from './sql-event-store.js';

for (const database of testDatabases()) {
  eventStoreContract(`SqlEventStore on ${database.name}`, async () => {
    const db = await database.open();
    return { store: new SqlEventStore(db, { pollIntervalMs: 20 }), close: () => db.close() };
  });

  describe(`SqlEventStore on ${database.name}: the database keeps events immutable`, () => {
    it.each(['UPDATE events SET event_type = $1', 'DELETE FROM events WHERE event_type <> $1', 'TRUNCATE events'])('refuses %s', async (sql) => {
      const db = await database.open();
      try {
        const store = new SqlEventStore(db);
        await store.migrate();
        await store.appendToStream('case-x', [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], { expectedRevision: 'no_stream' });
        await expect(db.query(sql, sql.includes('$1') ? ['X'] : [])).rejects.toThrow(/events are immutable/);
        expect(await store.readStream('case-x')).toHaveLength(1);
      } finally {
        await db.close();
      }
    });
  });
}

const url = process.env.DATABASE_URL;
const onPostgres = url ? describe : describe.skip;
if (!url) console.info('DATABASE_URL is not set: the concurrent-appender tests (PostgreSQL only) are skipped.');

onPostgres('SqlEventStore on postgres: readers following global order never skip a late commit', () => {
  const appendRaw = (client: pg.PoolClient | pg.Client, streamId: string) =>
    client.query(`INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ($1, 0, $2, 'Slow', '{}', '{}')`, [streamId, randomUUID()]);

  it('holds back an event committed after one with a higher position, until it is committed', async () => {
    const [database] = testDatabases().filter((d) => d.name === 'postgres');
    const db = await database!.open();
    const store = new SqlEventStore(db);
    await store.migrate();
    const [{ schema }] = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
    const slow = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await slow.connect();
    try {
      const start = await drain(store, null);
      // A slow transaction takes a position first and stays open...
      await slow.query('BEGIN');
      await appendRaw(slow, 'case-slow');
      // ...while a quick one takes a later position and commits.
      await store.appendToStream('case-quick', [{ eventId: randomUUID(), type: 'Quick', data: {}, metadata: {} }], { expectedRevision: 'no_stream' });
      const whileOpen = await store.readAll(start.next, 100);
      expect(whileOpen.events).toEqual([]);
      await slow.query('COMMIT');
      const after = await store.readAll(whileOpen.next, 100);
      expect(after.events.map((e) => e.type)).toEqual(['Slow', 'Quick']);
    } finally {
      await slow.end();
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
          await store.appendToStream(`case-${writer}-${i % 5}`, [{ eventId, type: 'Stress', data: { writer, i }, metadata: {} }], { expectedRevision: 'any' });
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
