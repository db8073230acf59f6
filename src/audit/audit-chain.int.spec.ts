import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { nextEntry } from '../../libs/audit-chain/index.js';
import { SqlEventStore } from '../../libs/event-store/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { testDatabases } from '../../libs/testing/index.js';
import { ACCESS_LOG_SCHEMA } from './access-log.js';
import { verifyAuditChain } from './audit-chain-verify.js';
import { eventContent } from './chain-content.js';
import { consentTrail } from './consent-trail.projection.js';
import { SealingEventStore } from './sealing-event-store.js';

const macKey = Buffer.alloc(32, 3);

describe.each(testDatabases().map((d) => [d.name, d] as const))("a chain made before it kept its events' places (%s)", (_, database) => {
  /** Two sealed events chained as the version before this one did: entries, and no places. */
  const chainedWithoutPlaces = async (db: SqlDatabase) => {
    const store = new SqlEventStore(db);
    await store.migrate();
    await db.exec(consentTrail.schema + ACCESS_LOG_SCHEMA);
    const stream = `case-${randomUUID()}`;
    const tested = () => ({ eventId: randomUUID(), type: 'Tested', data: { n: 1 }, metadata: {} });
    await new SealingEventStore(store, macKey).appendToStream(stream, [tested(), tested()], { expectedRevision: 'no_stream' });
    let previous: { seq: number; entryHash: string } | undefined;
    for (const event of await store.readStream(stream)) {
      const entry = nextEntry(previous, 'event', event.eventId, eventContent(event));
      await db.query('INSERT INTO audit_chain (seq, kind, ref, content_hash, prev_hash, entry_hash) VALUES ($1, $2, $3, $4, $5, $6)', [
        entry.seq,
        entry.kind,
        entry.ref,
        entry.contentHash,
        entry.prevHash,
        entry.entryHash,
      ]);
      previous = entry;
    }
    const verify = () => verifyAuditChain(db, store, { macKey, pending: async () => new Set() });
    expect(await verify()).toMatchObject({ verified: false, firstBrokenLink: { seq: 1, reason: 'record_missing' } });
    return { store, verify };
  };

  it('gets the places from the SQL events table at the migration, and then verifies', async () => {
    const db = await database.open();
    try {
      const { verify } = await chainedWithoutPlaces(db);
      await db.exec(consentTrail.schema);
      expect(await verify()).toMatchObject({ verified: true, entries: 2 });
    } finally {
      await db.close();
    }
  });

  it('gets them from a replay of the store (npm run rebuild, for a KurrentDB store), and then verifies', async () => {
    const db = await database.open();
    try {
      const { store, verify } = await chainedWithoutPlaces(db);
      const { events } = await store.readAll(null, 10);
      await db.transaction((tx) => consentTrail.apply(tx, events));
      expect(await verify()).toMatchObject({ verified: true, entries: 2 });
    } finally {
      await db.close();
    }
  });
});
