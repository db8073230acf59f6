import {
  type BrokenLink,
  ChainVerifier,
  type StoredRecord,
  type Verification,
  contentHash,
  isAuthentic,
} from '../../libs/audit-chain/index.js';
import type { CaseEvent } from '../../libs/domain/index.js';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../libs/event-store/index.js';
import type { ProjectionRunner } from '../../libs/projections/index.js';
import type { SqlClient } from '../../libs/sql/index.js';
import { type AccessRow, type ConsentTrailRow, accessContent, consentContent, eventContent } from './chain-content.js';
import { trailActor, trailDetails } from './trail-details.js';

export interface VerifyOptions {
  /** The key of the events' MAC (EVENT_MAC_KEY). */
  readonly macKey: Buffer;
  /** A head published earlier: the chain must still hold it (else it was cut or rewritten). */
  readonly head?: string;
  /** Ids of events the projector has not applied yet: they have no chain entry yet, rightly. */
  readonly pending: () => Promise<ReadonlySet<string>>;
}

/** The event store's reads verify needs, whichever store it is: events at their chained places, their count, all in order. */
export type ChainedEvents = Pick<EventStore, 'readEventsAt' | 'readAll' | 'behind'>;

/** Entries (and events) read per page: memory stays the same at any length of chain. */
const PAGE = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Recomputes the chain page by page against the records as they are now stored, checks every
 * event's MAC, that every event, trail row and access record has its entry, and that a published
 * head is still in the chain. Names the first broken link; a malformed row is named, never thrown on.
 */
export async function verifyAuditChain(db: SqlClient, store: ChainedEvents, options: VerifyOptions): Promise<Verification> {
  const verifier = new ChainVerifier();
  let publishedAt: number | undefined;
  const failed = (firstBrokenLink: BrokenLink): Verification => ({ verified: false, entries: verifier.entries, firstBrokenLink });
  /** The last entry checked: every event entry up to it has its event at its place in the store. */
  let after = 0;
  for (;;) {
    const page = await db.query<{
      seq: number | string;
      kind: string;
      ref: string;
      content_hash: string;
      prev_hash: string;
      entry_hash: string;
    }>('SELECT seq, kind, ref, content_hash, prev_hash, entry_hash FROM audit_chain WHERE seq > $1 ORDER BY seq LIMIT $2', [after, PAGE]);
    if (page.length === 0) break;
    const records = await storedRecords(db, store, page, options.macKey);
    for (const row of page) {
      const broken = verifier.check(
        { seq: row.seq, kind: row.kind, ref: row.ref, contentHash: row.content_hash, prevHash: row.prev_hash, entryHash: row.entry_hash },
        records.get(`${row.kind}:${row.ref}`),
      );
      if (broken) return failed(broken);
      if (row.entry_hash === options.head) publishedAt = Number(row.seq);
    }
    after = Number(page[page.length - 1]!.seq);
  }
  if (options.head !== undefined && publishedAt === undefined) {
    return failed({ reason: 'head_not_in_chain', detail: 'the published head is not in the chain: it was cut short or rewritten' });
  }
  const unchained = await firstUnchained(db, store, after, options.pending);
  if (unchained) return failed(unchained);
  return {
    verified: true,
    entries: verifier.entries,
    head: verifier.head,
    ...(publishedAt !== undefined ? { publishedHead: { head: options.head!, seq: publishedAt } } : {}),
  };
}

/** The stored records a page of entries stands for, by `kind:ref`; refs that cannot name a record find none. */
async function storedRecords(
  db: SqlClient,
  store: ChainedEvents,
  page: ReadonlyArray<{ kind: string; ref: string }>,
  macKey: Buffer,
): Promise<Map<string, StoredRecord>> {
  const refs = (kind: string, valid: RegExp) => page.filter((e) => e.kind === kind && valid.test(e.ref)).map((e) => e.ref);
  const eventIds = refs('event', UUID);
  const trailIds = refs('consent', UUID);
  const accessIds = refs('access', /^[1-9][0-9]{0,17}$/);
  const events = await eventsAtTheirPlaces(db, store, [...eventIds, ...trailIds]);
  const records = new Map<string, StoredRecord>();
  for (const id of eventIds) {
    const event = events.get(id);
    if (!event) continue;
    records.set(`event:${id}`, {
      content: eventContent(event),
      ...(isAuthentic(macKey, event)
        ? {}
        : { problem: { reason: 'event_not_authentic', detail: 'the event does not carry a valid MAC of the service' } }),
    });
  }
  if (trailIds.length > 0) {
    for (const row of await db.query<ConsentTrailRow>('SELECT * FROM consent_trail WHERE event_id = ANY($1::uuid[])', [trailIds])) {
      const trail = consentContent(row);
      const event = events.get(row.event_id);
      // The trail is a read model: its rows must also still say what the events themselves say.
      const problem = !event
        ? { reason: 'record_missing' as const, detail: 'the consent trail row has no event in the store' }
        : contentHash(trail) !== contentHash(trailOf(event))
          ? { reason: 'record_changed' as const, detail: 'the consent trail differs from the event' }
          : undefined;
      records.set(`consent:${row.event_id}`, { content: trail, ...(problem ? { problem } : {}) });
    }
  }
  if (accessIds.length > 0) {
    for (const row of await db.query<AccessRow>('SELECT * FROM personal_data_access WHERE id = ANY($1::bigint[])', [accessIds])) {
      records.set(`access:${row.id}`, { content: accessContent(row) });
    }
  }
  return records;
}

/**
 * Whatever the store holds where each chained event was, by the chain's ref: an event moved away
 * is missing there, another event put there is a changed record (its content names another id).
 */
async function eventsAtTheirPlaces(db: SqlClient, store: ChainedEvents, refs: readonly string[]): Promise<Map<string, RecordedEvent>> {
  if (refs.length === 0) return new Map();
  const places = await db.query<{ ref: string; stream_id: string; revision: number | string }>(
    'SELECT ref, stream_id, revision FROM audit_chain_event_places WHERE ref = ANY($1::text[])',
    [refs],
  );
  const placeOf = (streamId: string, revision: number | string) => `${streamId}\u0000${Number(revision)}`;
  const found = new Map(
    (await store.readEventsAt(places.map((p) => ({ streamId: p.stream_id, revision: Number(p.revision) })))).map((e) => [
      placeOf(e.streamId, e.revision),
      e,
    ]),
  );
  return new Map(
    places.flatMap((p) => {
      const event = found.get(placeOf(p.stream_id, p.revision));
      return event ? [[p.ref, event] as const] : [];
    }),
  );
}

/** What the trail row of this event must say; an event edited into something else does not read, and differs. */
function trailOf(e: RecordedEvent): unknown {
  try {
    // A malformed event may carry JSON null as its metadata.
    const metadata = (e.metadata as Record<string, unknown> | null) ?? {};
    return consentContent({
      event_id: e.eventId,
      case_id: e.streamId.replace(/^case-/, ''),
      revision: e.revision,
      event_type: e.type,
      ...trailActor(metadata, e.recordedAt.toISOString()),
      details: trailDetails({ type: e.type, data: e.data } as CaseEvent),
    });
  } catch {
    return { unreadable: true };
  }
}

/** An event, trail row or access record without its chain entry (events the projector has yet to apply excepted). */
async function firstUnchained(
  db: SqlClient,
  store: ChainedEvents,
  verifiedUpTo: number,
  pending: VerifyOptions['pending'],
): Promise<BrokenLink | undefined> {
  const missing = (table: string, key: string, kind: string, order: string) =>
    `SELECT ${key}::text AS ref FROM ${table} r WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.kind = '${kind}' AND c.ref = r.${key}::text) ORDER BY ${order} LIMIT 100`;
  for (const [table, key, kind, order] of [
    ['consent_trail', 'event_id', 'consent', 'occurred_at'],
    ['personal_data_access', 'id', 'access', 'id'],
  ] as const) {
    const [row] = await db.query<{ ref: string }>(missing(table, key, kind, order));
    if (row) return { kind, ref: row.ref, reason: 'unchained_record', detail: `a row of ${table} has no chain entry` };
  }
  // Each event entry checked stands for its own event of the store (the entry's hash covers the
  // event's id and place), so as many events in the store as such entries means none is unchained.
  const [chained] = await db.query<{ events: number | string }>(
    "SELECT count(*) AS events FROM audit_chain WHERE kind = 'event' AND seq <= $1",
    [verifiedUpTo],
  );
  if ((await store.behind(null)).events === Number(chained?.events ?? 0)) return undefined;
  return firstUnchainedEvent(db, store, pending);
}

/** The store, which need not be in this database, walked page by page in order for an event without its entry at its place. */
async function firstUnchainedEvent(
  db: SqlClient,
  store: ChainedEvents,
  pending: VerifyOptions['pending'],
): Promise<BrokenLink | undefined> {
  for (let from: GlobalPosition | null = null; ;) {
    const { events, next } = await store.readAll(from, PAGE);
    if (events.length === 0) return undefined;
    // By place too: KurrentDB's ids are unique per stream only, so an id alone could be another stream's entry.
    const chainedPlaces = async () =>
      new Set(
        (
          await db.query<{ place: string }>(
            `SELECT p.ref || ' ' || p.stream_id || ' ' || p.revision AS place FROM audit_chain_event_places p
              JOIN audit_chain c ON c.kind = 'event' AND c.ref = p.ref WHERE p.ref = ANY($1::text[])`,
            [events.map((e) => e.eventId)],
          )
        ).map((r) => r.place),
      );
    const placeOf = (e: RecordedEvent) => `${e.eventId} ${e.streamId} ${e.revision}`;
    const present = await chainedPlaces();
    if (events.some((e) => !present.has(placeOf(e)))) {
      // Taken for each such page: events appended since an earlier one are pending too.
      const waiting = await pending();
      // Read after the pending list: an event the projector chained meanwhile is no longer a candidate.
      const chainedNow = await chainedPlaces();
      const unchained = events.find((e) => !waiting.has(e.eventId) && !chainedNow.has(placeOf(e)));
      if (unchained)
        return { kind: 'event', ref: unchained.eventId, reason: 'unchained_record', detail: 'an event in the store has no chain entry' };
    }
    from = next;
  }
}

/** Beyond this many events behind, the projector's backlog counts as unchained: verify again once it has caught up. */
const PENDING_LIMIT = 10_000;

/** The events after the read models' checkpoint: not chained yet, and rightly so. */
export const notYetProjected = (runner: ProjectionRunner, store: EventStore) => async (): Promise<ReadonlySet<string>> => {
  const { position } = await runner.checkpoint();
  return new Set((await store.readAll(position, PENDING_LIMIT)).events.map((e) => e.eventId));
};
