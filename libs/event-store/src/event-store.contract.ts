import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type EventStore, type EventToAppend, type RecordedEvent, WrongExpectedRevisionError } from './event-store.port.js';

export interface OpenedStore {
  readonly store: EventStore;
  close(): Promise<void>;
  /**
   * Moves the adapter's own counters (transaction ids, positions) to just below a power of ten,
   * so the next appends cross it: ten digits sort before nine as text. Adapters without such
   * counters leave it out.
   */
  nearPowerOfTen?(): Promise<void>;
  /**
   * An event the store refuses in any stream, to check a failing batch leaves nothing behind. By
   * default one reusing the id of an event in another stream, for stores whose ids are unique
   * store-wide; a store whose ids are unique per stream only (KurrentDB) gives its own.
   */
  refusedEvent?(): Promise<EventToAppend>;
}

const event = (type = 'Tested', data: Record<string, unknown> = { n: 1 }): EventToAppend => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { actorUserId: 'u-1', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
});

/** What every adapter of the EventStore port must do; no SQL here, so a KurrentDB adapter runs it too. */
export function eventStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: EventStore;
    let stream: string;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
      stream = `case-${randomUUID()}`;
    });
    afterEach(() => opened.close());

    it('reads a stream that does not exist as empty', async () => {
      expect(await store.readStream(stream)).toEqual([]);
    });

    it('appends to a new stream and reads the events back exactly, in order', async () => {
      const events = [event('A', { text: 'ünïcødé ✓', nested: { list: [1, 2] } }), event('B')];
      const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(1);
      const read = await store.readStream(stream);
      expect(
        read.map(({ eventId, type, data, metadata, streamId, revision }) => ({ eventId, type, data, metadata, streamId, revision })),
      ).toEqual(events.map((e, revision) => ({ ...e, streamId: stream, revision })));
      expect(read[1]!.position).toBe(result.position);
      expect(read[0]!.recordedAt).toBeInstanceOf(Date);
    });

    it('refuses no_stream for a stream that exists, naming the actual revision', async () => {
      await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
      const attempt = store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
        streamId: stream,
        actual: 0,
      });
    });

    it('appends at the expected revision and refuses a stale one', async () => {
      await store.appendToStream(stream, [event(), event()], { expectedRevision: 'no_stream' });
      expect((await store.appendToStream(stream, [event()], { expectedRevision: 1 })).nextExpectedRevision).toBe(2);
      await expect(store.appendToStream(stream, [event()], { expectedRevision: 1 })).rejects.toMatchObject({ expected: 1, actual: 2 });
      await expect(store.appendToStream(`case-${randomUUID()}`, [event()], { expectedRevision: 0 })).rejects.toMatchObject({
        actual: 'no_stream',
      });
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('appends with any, whatever the revision', async () => {
      await store.appendToStream(stream, [event()], { expectedRevision: 'any' });
      expect((await store.appendToStream(stream, [event()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(1);
    });

    it('appends a batch atomically: a batch that fails leaves the stream as it was', async () => {
      const refused = opened.refusedEvent ? await opened.refusedEvent() : await eventWithIdInAnotherStream(store);
      await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
      // The second event is refused: the whole batch must be.
      await expect(store.appendToStream(stream, [event(), refused], { expectedRevision: 0 })).rejects.toThrow();
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('treats a retried append of the same event ids as done: same result, nothing appended', async () => {
      const events = [event(), event()];
      const original = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, [event()], { expectedRevision: 1 });
      const retried = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      expect(retried).toEqual(original);
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('reads events at given places across streams, exactly as readStream does, leaving out places that hold none', async () => {
      const other = `case-${randomUUID()}`;
      await store.appendToStream(stream, [event('A'), event('B'), event('C')], { expectedRevision: 'no_stream' });
      await store.appendToStream(other, [event('D')], { expectedRevision: 'no_stream' });
      const read = await store.readEventsAt([
        { streamId: stream, revision: 2 },
        { streamId: other, revision: 0 },
        { streamId: stream, revision: 0 },
        { streamId: stream, revision: 3 },
        { streamId: `case-${randomUUID()}`, revision: 0 },
        { streamId: other, revision: -1 },
      ]);
      const [a, , c] = await store.readStream(stream);
      const [d] = await store.readStream(other);
      const byPlace = (e: RecordedEvent) => `${e.streamId}/${e.revision}`;
      expect([...read].sort((x, y) => byPlace(x).localeCompare(byPlace(y)))).toEqual(
        [a, c, d].sort((x, y) => byPlace(x!).localeCompare(byPlace(y!))),
      );
      expect(await store.readEventsAt([])).toEqual([]);
    });

    it('reads all streams in global order, in pages, resuming from a stored position', async () => {
      const start = await drain(store, null);
      const other = `case-${randomUUID()}`;
      const appended = [event('A'), event('B'), event('C'), event('D'), event('E')];
      await store.appendToStream(stream, appended.slice(0, 2), { expectedRevision: 'no_stream' });
      await store.appendToStream(other, appended.slice(2, 3), { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, appended.slice(3), { expectedRevision: 1 });
      const page1 = await store.readAll(start.next, 3);
      expect(page1.events.map((e) => e.eventId)).toEqual(appended.slice(0, 3).map((e) => e.eventId));
      const page2 = await store.readAll(page1.next, 3);
      expect(page2.events.map((e) => e.eventId)).toEqual(appended.slice(3).map((e) => e.eventId));
      const page3 = await store.readAll(page2.next, 3);
      expect(page3).toEqual({ events: [], next: page2.next });
    });

    it('reads only the event types asked for, in global order, in pages that count only those', async () => {
      const start = await drain(store, null);
      const other = `case-${randomUUID()}`;
      const [a1, b, c, a2, d, a3] = [event('A'), event('B'), event('C'), event('A'), event('D'), event('A')];
      await store.appendToStream(stream, [a1, b], { expectedRevision: 'no_stream' });
      await store.appendToStream(other, [c, a2, d], { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, [a3], { expectedRevision: 1 });
      const ids = (page: { events: readonly RecordedEvent[] }) => page.events.map((e) => e.eventId);
      const page1 = await store.readAll(start.next, 2, { eventTypes: ['A', 'D'] });
      expect(ids(page1)).toEqual([a1.eventId, a2.eventId]);
      const page2 = await store.readAll(page1.next, 2, { eventTypes: ['A', 'D'] });
      expect(ids(page2)).toEqual([d.eventId, a3.eventId]);
      expect(await store.readAll(page2.next, 2, { eventTypes: ['A', 'D'] })).toEqual({ events: [], next: page2.next });
    });

    it('reads by exact type name: not names that begin with it, and not as a pattern', async () => {
      const start = await drain(store, null);
      const exact = event('Erased');
      await store.appendToStream(stream, [event('ErasedLater'), exact, event('NotErased'), event('ErasedX')], {
        expectedRevision: 'no_stream',
      });
      const read = await store.readAll(start.next, 10, { eventTypes: ['Erased'] });
      expect(read.events.map((e) => [e.eventId, e.type])).toEqual([[exact.eventId, 'Erased']]);
      expect(await store.readAll(start.next, 10, { eventTypes: ['Erase.', 'E.*'] })).toEqual({ events: [], next: start.next });
    });

    it('orders positions as readAll returns them, the beginning before all', async () => {
      const start = await drain(store, null);
      await store.appendToStream(stream, [event('A'), event('B')], { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, [event('C')], { expectedRevision: 1 });
      const [a, b, c] = (await store.readAll(start.next, 3)).events.map((e) => e.position);
      expect([store.compare(a!, b!), store.compare(b!, c!), store.compare(c!, a!), store.compare(b!, b!)]).toEqual([-1, -1, 1, 0]);
      expect([store.compare(null, a!), store.compare(a!, null), store.compare(null, null)]).toEqual([-1, 1, 0]);
    });

    it('tells how far a reader is behind: how many events follow its position, and since when', async () => {
      const start = await drain(store, null);
      expect(await store.behind(start.next)).toEqual({ events: 0, firstRecordedAt: null });
      const before = Date.now();
      await store.appendToStream(stream, [event('A'), event('B')], { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, [event('C')], { expectedRevision: 1 });
      const lag = await store.behind(start.next);
      expect(lag.events).toBe(3);
      expect(lag.firstRecordedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const page = await store.readAll(start.next, 2);
      expect((await store.behind(page.next)).events).toBe(1);
    });

    it('follows: yields what exists, then what is appended later, and stops on abort', async () => {
      const start = await drain(store, null);
      const before = event('Before');
      await store.appendToStream(stream, [before], { expectedRevision: 'no_stream' });
      const abort = new AbortController();
      const seen: string[] = [];
      const following = (async () => {
        for await (const batch of store.follow({ from: start.next, signal: abort.signal, batchSize: 10 })) {
          seen.push(...batch.events.map((e) => e.eventId));
          if (seen.length === 3) abort.abort();
        }
      })();
      const later = [event('Later'), event('Later')];
      await store.appendToStream(stream, later, { expectedRevision: 0 });
      await following;
      expect(seen).toEqual([before.eventId, ...later.map((e) => e.eventId)]);
    });

    describe('when its counters cross a power of ten', () => {
      const appendOneByOne = async (count: number): Promise<string[]> => {
        const ids: string[] = [];
        for (let i = 0; i < count; i++) {
          const e = event('Crossing', { i });
          await store.appendToStream(`${stream}-${i % 3}`, [e], { expectedRevision: 'any' });
          ids.push(e.eventId);
        }
        return ids;
      };

      it('reads every event once, in append order, in pages that straddle it', async () => {
        await opened.nearPowerOfTen?.();
        const start = await drain(store, null);
        const appended = await appendOneByOne(30);
        const seen: string[] = [];
        let next = start.next;
        for (;;) {
          const page = await store.readAll(next, 7);
          if (page.events.length === 0) break;
          seen.push(...page.events.map((e) => e.eventId));
          next = page.next;
        }
        expect(seen).toEqual(appended);
      });

      it('resumes from a stored position on the far side of it without skipping or repeating', async () => {
        await opened.nearPowerOfTen?.();
        const start = await drain(store, null);
        const first = await appendOneByOne(15);
        const stored = (await drain(store, start.next)).next; // a checkpoint, as a projector keeps it
        const second = await appendOneByOne(15);
        const resumed = await drain(store, stored);
        expect(resumed.events.map((e) => e.eventId)).toEqual(second);
        expect((await drain(store, start.next)).events.map((e) => e.eventId)).toEqual([...first, ...second]);
        expect((await store.behind(stored)).events).toBe(15);
      });

      it('follows live across it, each event once and in order', async () => {
        await opened.nearPowerOfTen?.();
        const start = await drain(store, null);
        const abort = new AbortController();
        const seen: string[] = [];
        const following = (async () => {
          for await (const batch of store.follow({ from: start.next, signal: abort.signal, batchSize: 4 })) {
            seen.push(...batch.events.map((e) => e.eventId));
          }
        })();
        const appended = await appendOneByOne(30);
        // A follower that skipped one would wait for ever: give it a bounded time to see them all.
        for (let waited = 0; seen.length < appended.length && waited < 10_000; waited += 20)
          await new Promise((resolve) => setTimeout(resolve, 20));
        abort.abort();
        await following;
        expect(seen).toEqual(appended);
      });
    });

    it('ends a follow that is waiting for events when it is aborted', async () => {
      const start = await drain(store, null);
      const abort = new AbortController();
      const following = (async () => {
        for await (const _ of store.follow({ from: start.next, signal: abort.signal })) {
          // nothing is appended
        }
      })();
      setTimeout(() => abort.abort(), 50);
      await expect(following).resolves.toBeUndefined();
    });
  });
}

/** An event reusing the id of one already in another stream. */
async function eventWithIdInAnotherStream(store: EventStore): Promise<EventToAppend> {
  const first = event();
  await store.appendToStream(`case-${randomUUID()}`, [first], { expectedRevision: 'no_stream' });
  return { ...event(), eventId: first.eventId };
}

/** Reads to the end of the store: other tests' events may share it. */
export async function drain(store: EventStore, from: string | null): Promise<{ events: RecordedEvent[]; next: string | null }> {
  const events: RecordedEvent[] = [];
  let next = from;
  for (;;) {
    const page = await store.readAll(next, 1000);
    if (page.events.length === 0) return { events, next };
    events.push(...page.events);
    next = page.next;
  }
}
