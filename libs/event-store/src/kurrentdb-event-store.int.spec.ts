import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import {
  type InMemoryKurrentDb,
  type InMemoryKurrentDbOptions,
  startInMemoryKurrentDb,
} from '../../../test/support/in-memory-kurrentdb/in-memory-kurrentdb-server.js';
import { drain, eventStoreContract } from './event-store.contract.js';
import { type EventToAppend, UnknownPositionError } from './event-store.port.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';

/** Over KurrentDB's default maximum append size (1 MiB): refused whole, whatever else the batch holds. */
const oversized = async (): Promise<EventToAppend> => ({
  eventId: randomUUID(),
  type: 'Oversized',
  data: { text: 'x'.repeat(1_100_000) },
  metadata: {},
});

const onInMemoryServer = (options: InMemoryKurrentDbOptions) => async () => {
  const server = await startInMemoryKurrentDb(options);
  const store = new KurrentDbEventStore(KurrentDBClient.connectionString(server.url));
  return {
    store,
    close: async () => {
      await store.close();
      await server.close();
    },
    nearPowerOfTen: async () => server.log.nearPowerOfTen(),
    refusedEvent: oversized,
  };
};

// As KurrentDB answers: BatchAppend, retries deduplicated by event id and answered without a position.
eventStoreContract('KurrentDbEventStore on the in-memory KurrentDB protocol double', onInMemoryServer({}));
// What the adapter must not depend on: the client's other append call, and a server that refuses a retry as stale.
eventStoreContract(
  'KurrentDbEventStore on the in-memory double, through Streams.Append, refusing retries',
  onInMemoryServer({ batchAppend: false, deduplicates: false }),
);

const url = process.env.KURRENTDB_URL;
if (url) {
  eventStoreContract(`KurrentDbEventStore on the KurrentDB at KURRENTDB_URL`, async () => {
    const store = new KurrentDbEventStore(KurrentDBClient.connectionString(url));
    return { store, close: () => store.close(), refusedEvent: oversized };
  });
} else {
  console.info('KURRENTDB_URL is not set: the contract suite runs on the in-memory KurrentDB protocol double only.');
}

describe("KurrentDbEventStore on the in-memory double: what is KurrentDB's own", () => {
  let server: InMemoryKurrentDb;
  let client: KurrentDBClient;
  let store: KurrentDbEventStore;
  beforeEach(async () => {
    server = await startInMemoryKurrentDb();
    client = KurrentDBClient.connectionString(server.url);
    store = new KurrentDbEventStore(client);
  });
  afterEach(async () => {
    await store.close();
    await server.close();
  });
  const appendOne = (stream: string) =>
    store.appendToStream(stream, [{ eventId: randomUUID(), type: 'Tested', data: {}, metadata: {} }], { expectedRevision: 'no_stream' });

  it('skips the system events KurrentDB writes into $all, in reads, lag and follow alike', async () => {
    await appendOne('case-before');
    await client.appendToStream('$stats-127.0.0.1:2113', jsonEvent({ type: '$statsCollected', data: {} }));
    await client.appendToStream('case-with-a-system-type', jsonEvent({ type: '$metadata', data: {} }));
    await appendOne('case-after');
    expect((await drain(store, null)).events.map((e) => e.streamId)).toEqual(['case-before', 'case-after']);
    expect((await store.behind(null)).events).toBe(2);
    const abort = new AbortController();
    const followed: string[] = [];
    for await (const batch of store.follow({ from: null, signal: abort.signal })) {
      followed.push(...batch.events.map((e) => e.streamId));
      if (followed.length === 2) abort.abort();
    }
    expect(followed).toEqual(['case-before', 'case-after']);
  });

  it('refuses to resume from a position another store gave out, so that a reader replays from the beginning', async () => {
    await appendOne('case-one');
    await expect(store.readAll('1234', 10)).rejects.toBeInstanceOf(UnknownPositionError);
    expect((await store.behind('1234')).events).toBe(1);
  });
});
