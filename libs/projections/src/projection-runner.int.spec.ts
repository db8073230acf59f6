import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type RecordedEvent, SqlEventStore } from '../../event-store/index.js';
import type { SqlClient } from '../../sql/index.js';
import { testDatabases } from '../../testing/index.js';
import { type Projection, ProjectionRunner } from './projection-runner.js';

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
      expect((await snapshot()).reduce((sum, row) => sum + Number((row as { events: number }).events), 0)).toBe(10);

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

    it('follows new events and stops cleanly on abort', async () => {
      const db = await database.open();
      const store = new SqlEventStore(db, { pollIntervalMs: 20 });
      await store.migrate();
      const runner = new ProjectionRunner('read-models', db, store, [counting()]);
      await runner.migrate();
      const stop = new AbortController();
      const running = runner.run(stop.signal);
      await store.appendToStream('s-live', [{ eventId: randomUUID(), type: 'T', data: {}, metadata: {} }], { expectedRevision: 'no_stream' });
      for (let i = 0; i < 100 && runner.current().eventsApplied < 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      stop.abort();
      await running;
      expect(runner.current()).toMatchObject({ state: 'stopped', eventsApplied: 1 });
      expect(await db.query('SELECT events FROM stream_counts')).toEqual([{ events: 1 }]);
      await db.close();
    });
  });
}
