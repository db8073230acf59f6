import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import {
  type InMemoryKurrentDbOptions, startInMemoryKurrentDb,
} from '../../../test/support/in-memory-kurrentdb/in-memory-kurrentdb-server.js';
import { eventStoreContract } from './event-store.contract.js';
import type { EventToAppend } from './event-store.port.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';

/** Over KurrentDB's default maximum append size (1 MiB): refused whole, whatever else the batch holds. */
const oversized = async (): Promise<EventToAppend> => ({
  eventId: randomUUID(), type: 'Oversized', data: { text: 'x'.repeat(1_100_000) }, metadata: {},
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
