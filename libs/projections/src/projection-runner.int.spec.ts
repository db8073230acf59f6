import { describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type EventStore, type RecordedEvent, SqlEventStore } from '../../event-store/index.js';
import type { SqlClient } from '../../sql/index.js';
import { testDatabases } from '../../testing/index.js';
import { CHECKPOINT_CHANNEL, type Projection, ProjectionRunner, ReplayIncompleteError } from '../index.js';

/** Counts events per stream; can be told to fail on one event, as a crash in the middle of a batch. */
function counting(failOn?: string): Projection {
  return {
    name: 'counting',
    tables: ['stream_counts'],
    schema: 'CREATE TABLE IF NOT EXISTS stream_counts (stream_id text PRIMARY KEY, events int NOT NULL);',
    async apply(tx: SqlClient, events: readonly RecordedEvent[]) {
      for (const event of events) {
        if (event.eventId === failOn) throw new Error('crash in the middle of a batch');
        await tx.query(
          'INSERT INTO stream_counts (stream_id, events) VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET events = stream_counts.events + 1',
          [event.streamId],
        );
      }
    },
  };
}

for (const database of testDatabases()) {
  describe(`ProjectionRunner (${database.name})`, () => {
    it('after a failure in the middle of a batch, resumes to exactly what a rebuild gives', async () => {
      const db = await database.open();
      const store = new SqlEventStore(db);
      await store.migrate();
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const eventId = randomUUID();
        ids.push(eventId);
        await store.appendToStream(`s-${i % 4}`, [{ eventId, type: 'T', data: { i }, metadata: {} }], { expectedRevision: 'any' });
      }
      const snapshot = () => db.query('SELECT stream_id, events FROM stream_counts ORDER BY stream_id');

      const crashing = new ProjectionRunner('read-models', db, store, [counting(ids[17])], { batchSize: 10 });
      await crashing.migrate();
      await expect(crashing.catchUp()).rejects.toThrow('crash in the middle of a batch');
      // The two whole batches before the failing one are kept; nothing of the failing batch is.
      expect((await crashing.checkpoint()).eventsApplied).toBe(20 - 10);
      expect((await snapshot()).reduce((sum, row) => sum + Number((row as { events: unknown }).events), 0)).toBe(10);

      const restarted = new ProjectionRunner('read-models', db, store, [counting()], { batchSize: 10 });
      expect(await restarted.catchUp()).toBe(20);
      const resumed = await snapshot();
      const progress: number[] = [];
      expect(await restarted.rebuild((n) => progress.push(n))).toBe(30);
      expect(progress).toEqual([10, 20, 30]);
      expect(await snapshot()).toEqual(resumed);
      expect(await restarted.checkpoint()).toMatchObject({ eventsApplied: 30 });
      await db.close();
    });

    it('rebuilds read models kept at a position of an earlier version of the store, instead of resuming from it', async () => {
      const db = await database.open();
      const store = new SqlEventStore(db);
      await store.migrate();
      for (let i = 0; i < 12; i++)
        await store.appendToStream(`s-${i % 3}`, [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], {
          expectedRevision: 'any',
        });
      const runner = new ProjectionRunner('read-models', db, store, [counting()], { batchSize: 5 });
      await runner.migrate();
      // Read models half built by the earlier (transaction id, position) order, with its checkpoint.
      await db.query("INSERT INTO stream_counts VALUES ('s-0', 3)");
      await db.query("INSERT INTO projection_checkpoints (runner, position, events_applied) VALUES ('read-models', '812:3', 3)");
      expect(await runner.catchUp()).toBe(12);
      expect(await db.query('SELECT stream_id, events FROM stream_counts ORDER BY stream_id')).toEqual([
        { stream_id: 's-0', events: 4 },
        { stream_id: 's-1', events: 4 },
        { stream_id: 's-2', events: 4 },
      ]);
      expect(await runner.lag()).toEqual({ events: 0, seconds: 0 });
      await db.close();
    });

    it('fails a rebuild loudly when the events it applied are not all the store holds', async () => {
      const db = await database.open();
      const store = new SqlEventStore(db);
      await store.migrate();
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) {
        const eventId = randomUUID();
        ids.push(eventId);
        await store.appendToStream('s-lossy', [{ eventId, type: 'T', data: {}, metadata: {} }], { expectedRevision: 'any' });
      }
      // An adapter that loses one event on the way, as the text-ordered reads of an earlier version did.
      const lossy: EventStore = Object.assign(Object.create(store) as EventStore, {
        readAll: async (from: string | null, max: number) => {
          const page = await store.readAll(from, max);
          return { ...page, events: page.events.filter((e) => e.eventId !== ids[4]) };
        },
      });
      const runner = new ProjectionRunner('read-models', db, lossy, [counting()], { batchSize: 4 });
      await runner.migrate();
      await expect(runner.rebuild()).rejects.toEqual(new ReplayIncompleteError(8, 9));
      await db.close();
    });

    it('follows new events and stops cleanly on abort', async () => {
      const db = await database.open();
      const store = new SqlEventStore(db, { pollIntervalMs: 20 });
      await store.migrate();
      const runner = new ProjectionRunner('read-models', db, store, [counting()]);
      await runner.migrate();
      const stop = new AbortController();
      const running = runner.run(stop.signal);
      await store.appendToStream('s-live', [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], {
        expectedRevision: 'no_stream',
      });
      for (let i = 0; i < 100 && runner.current().eventsApplied < 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      stop.abort();
      await running;
      expect(runner.current()).toMatchObject({ state: 'stopped', eventsApplied: 1 });
      expect(await db.query('SELECT events FROM stream_counts')).toEqual([{ events: 1 }]);
      await db.close();
    });

    it('lets a write wait for the batch that includes it, and reads the store once per commit', async () => {
      const db = await database.open();
      // No poll within the test: every read the follower makes is one an append woke.
      const store = new SqlEventStore(db, { pollIntervalMs: 60_000 });
      await store.migrate();
      const runner = new ProjectionRunner('read-models', db, store, [counting()]);
      await runner.migrate();
      const first = await store.appendToStream('s-ryw', [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], {
        expectedRevision: 'no_stream',
      });
      expect(await runner.reached(first.position, 50)).toBe(false); // nobody applies it yet

      const reads = jest.spyOn(store, 'readAll');
      const stop = new AbortController();
      const running = runner.run(stop.signal);
      expect(await runner.reached(first.position, 5000)).toBe(true);
      for (let revision = 1; revision <= 5; revision++) {
        const { position } = await store.appendToStream('s-ryw', [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], {
          expectedRevision: revision - 1,
        });
        expect(await runner.reached(position, 5000)).toBe(true);
        // The write's effect is there as soon as the wait ends.
        expect(await db.query('SELECT events FROM stream_counts')).toEqual([{ events: revision + 1 }]);
      }
      stop.abort();
      await running;
      expect(reads.mock.calls.length).toBeLessThanOrEqual(1 + 5);
      await db.close();
    });

    if (database.name === 'postgres') {
      it('learns of the batches another process commits from their announcement', async () => {
        const db = await database.open();
        const store = new SqlEventStore(db, { pollIntervalMs: 20 });
        await store.migrate();
        const projector = new ProjectionRunner('read-models', db, store, [counting()]);
        await projector.migrate();
        // The app with PROJECTOR=external: it applies nothing itself, it only watches.
        const app = new ProjectionRunner('read-models', db, new SqlEventStore(db), [counting()]);
        const unwatch = await app.watch();
        const stop = new AbortController();
        const running = projector.run(stop.signal);
        const { position } = await store.appendToStream('s-external', [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], {
          expectedRevision: 'no_stream',
        });
        expect(await app.reached(position, 5000)).toBe(true);
        expect(await db.query('SELECT events FROM stream_counts')).toEqual([{ events: 1 }]);
        stop.abort();
        await running;
        await unwatch();
        await db.close();
      });

      it('takes an announcement only as a reason to look: a forged one does not pass writes the read models lack', async () => {
        const db = await database.open();
        const store = new SqlEventStore(db);
        await store.migrate();
        const app = new ProjectionRunner('read-models', db, store, [counting()]);
        await app.migrate();
        const unwatch = await app.watch();
        const { schema } = (await db.query<{ schema: string }>('SELECT current_schema() AS schema'))[0]!;
        const { position } = await store.appendToStream('s-forged', [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], {
          expectedRevision: 'no_stream',
        });
        // Anyone connected may NOTIFY on the channel, here with a position far past every write.
        await db.query('SELECT pg_notify($1, $2)', [
          CHECKPOINT_CHANNEL,
          JSON.stringify({ schema, runner: 'read-models', position: '9000000000000000000' }),
        ]);
        expect(await app.reached(position, 500)).toBe(false);
        await unwatch();
        await db.close();
      });
    }
  });
}
