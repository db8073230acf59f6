import {
  type BrokenLink,
  ChainVerifier,
  type StoredRecord,
  type Verification,
  contentHash,
  isAuthentic,
  nextEntry,
} from '../../libs/audit-chain/index.js';
import type { CaseEvent } from '../../libs/domain/index.js';
import type { EventStore } from '../../libs/event-store/index.js';
import type { ProjectionRunner } from '../../libs/projections/index.js';
import { trailActor, trailDetails } from './trail-details.js';
import { type SqlClient, appendOnly } from '../../libs/sql/index.js';

/**
 * The tamper-evident chain over every event in the store (kind `event`), the consent trail rows
 * (`consent`) and the personal-data access records (`access`). An entry is appended in the same
 * transaction that writes its record, under one lock, so the chain has no gaps and one order. It
 * is not a read model: a rebuild leaves it as it is. Only a hash of each record's content is kept,
 * so the chain holds no personal data.
 */
export const AUDIT_CHAIN_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_chain (
  seq bigint PRIMARY KEY,
  kind text NOT NULL CONSTRAINT audit_chain_kind_check CHECK (kind IN ('consent', 'access', 'event')),
  ref text NOT NULL,
  content_hash text NOT NULL,
  prev_hash text NOT NULL,
  entry_hash text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, ref)
);
-- Chains made before events were chained allow only consent and access entries.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'audit_chain'::regclass AND conname = 'audit_chain_kind_check' AND pg_get_constraintdef(oid) LIKE '%event%') THEN
    ALTER TABLE audit_chain DROP CONSTRAINT IF EXISTS audit_chain_kind_check;
    ALTER TABLE audit_chain ADD CONSTRAINT audit_chain_kind_check CHECK (kind IN ('consent', 'access', 'event'));
  END IF;
END $$;
${appendOnly('audit_chain', 'the audit chain is append-only')}`;

/** Serialises appends across transactions and processes. */
const CHAIN_LOCK = 7_451_033;

export type ChainKind = 'event' | 'consent' | 'access';
export interface ChainRecord {
  readonly kind: ChainKind;
  readonly ref: string;
  readonly content: unknown;
}

interface ConsentTrailRow {
  event_id: string;
  case_id: string;
  revision: number;
  event_type: string;
  occurred_at: Date | string;
  actor_user_id: string;
  actor_agency_id: string;
  details: unknown;
}
interface AccessRow {
  id: number | string;
  accessed_at: Date | string;
  user_id: string;
  agency_id: string;
  case_id: string;
  categories: string[];
  legal_basis: unknown;
}
interface EventRow {
  event_id: string;
  stream_id: string;
  stream_revision: number | string;
  event_type: string;
  data: string;
  metadata: string;
  recorded_at: Date | string;
}

const iso = (value: Date | string) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
};
/** jsonb read as text, so a stored JSON string is never mistaken for a driver's unparsed document. */
const json = (text: string): unknown => JSON.parse(text);

/** What the chain vouches for, as read back from the database: the same functions on append and on verify. */
export const consentContent = (r: ConsentTrailRow) => ({
  eventId: r.event_id,
  caseId: r.case_id,
  revision: r.revision,
  type: r.event_type,
  occurredAt: iso(r.occurred_at),
  actorUserId: r.actor_user_id,
  actorAgencyId: r.actor_agency_id,
  details: r.details,
});
export const accessContent = (r: AccessRow) => ({
  accessedAt: iso(r.accessed_at),
  userId: r.user_id,
  agencyId: r.agency_id,
  caseId: r.case_id,
  categories: r.categories,
  legalBasis: r.legal_basis,
});
/** The whole event but its place in the table: any change of its type, data (sealed values included) or metadata changes the hash. */
export const eventContent = (e: {
  eventId: string;
  streamId: string;
  revision: number | string;
  type: string;
  data: unknown;
  metadata: unknown;
}) => ({
  eventId: e.eventId,
  streamId: e.streamId,
  revision: Number(e.revision),
  type: e.type,
  data: e.data,
  metadata: e.metadata,
});

export async function appendToChain(tx: SqlClient, records: readonly ChainRecord[]): Promise<void> {
  if (records.length === 0) return;
  await tx.query(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
  // Already chained (a rebuild replays every event): their entries stay as they are.
  const present = new Set(
    (
      await tx.query<{ key: string }>(
        `SELECT kind || ':' || ref AS key FROM audit_chain WHERE (kind, ref) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [records.map((r) => r.kind), records.map((r) => r.ref)],
      )
    ).map((r) => r.key),
  );
  const [last] = await tx.query<{ seq: number | string; entry_hash: string }>(
    'SELECT seq, entry_hash FROM audit_chain ORDER BY seq DESC LIMIT 1',
  );
  let previous = last ? { seq: Number(last.seq), entryHash: last.entry_hash } : undefined;
  const entries = [];
  for (const record of records) {
    if (present.has(`${record.kind}:${record.ref}`)) continue;
    const entry = nextEntry(previous, record.kind, record.ref, record.content);
    entries.push(entry);
    previous = entry;
  }
  if (entries.length === 0) return;
  await tx.query(
    `INSERT INTO audit_chain (seq, kind, ref, content_hash, prev_hash, entry_hash)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS e(seq bigint, kind text, ref text, content_hash text, prev_hash text, entry_hash text)`,
    [
      JSON.stringify(
        entries.map((e) => ({
          seq: e.seq,
          kind: e.kind,
          ref: e.ref,
          content_hash: e.contentHash,
          prev_hash: e.prevHash,
          entry_hash: e.entryHash,
        })),
      ),
    ],
  );
}

export interface VerifyOptions {
  /** The key of the events' MAC (EVENT_MAC_KEY). */
  readonly macKey: Buffer;
  /** A head published earlier: the chain must still hold it (else it was cut or rewritten). */
  readonly head?: string;
  /** Ids of events the projector has not applied yet: they have no chain entry yet, rightly. */
  readonly pending: () => Promise<ReadonlySet<string>>;
}

/** Entries read per page: memory stays the same at any length of chain. */
const PAGE = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Recomputes the chain page by page against the records as they are now stored, checks every
 * event's MAC, that every event, trail row and access record has its entry, and that a published
 * head is still in the chain. Names the first broken link; a malformed row is named, never thrown on.
 */
export async function verifyAuditChain(db: SqlClient, options: VerifyOptions): Promise<Verification> {
  const verifier = new ChainVerifier();
  let publishedAt: number | undefined;
  const failed = (firstBrokenLink: BrokenLink): Verification => ({ verified: false, entries: verifier.entries, firstBrokenLink });
  for (let after = 0; ;) {
    const page = await db.query<{
      seq: number | string;
      kind: string;
      ref: string;
      content_hash: string;
      prev_hash: string;
      entry_hash: string;
    }>('SELECT seq, kind, ref, content_hash, prev_hash, entry_hash FROM audit_chain WHERE seq > $1 ORDER BY seq LIMIT $2', [after, PAGE]);
    if (page.length === 0) break;
    const records = await storedRecords(db, page, options.macKey);
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
  const unchained = await firstUnchained(db, options.pending);
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
  page: ReadonlyArray<{ kind: string; ref: string }>,
  macKey: Buffer,
): Promise<Map<string, StoredRecord>> {
  const refs = (kind: string, valid: RegExp) => page.filter((e) => e.kind === kind && valid.test(e.ref)).map((e) => e.ref);
  const eventIds = refs('event', UUID);
  const trailIds = refs('consent', UUID);
  const accessIds = refs('access', /^[1-9][0-9]{0,17}$/);
  const events = new Map((await eventsById(db, [...eventIds, ...trailIds])).map((e) => [e.event_id, e]));
  const records = new Map<string, StoredRecord>();
  for (const id of eventIds) {
    const row = events.get(id);
    if (!row) continue;
    const event = {
      eventId: row.event_id,
      streamId: row.stream_id,
      revision: row.stream_revision,
      type: row.event_type,
      data: json(row.data),
      metadata: json(row.metadata),
    };
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

const eventsById = (db: SqlClient, ids: readonly string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.query<EventRow>(
        'SELECT event_id::text AS event_id, stream_id, stream_revision, event_type, data::text AS data, metadata::text AS metadata, recorded_at FROM events WHERE event_id = ANY($1::uuid[])',
        [ids],
      );

/** What the trail row of this event must say; an event edited into something else does not read, and differs. */
function trailOf(e: EventRow): unknown {
  try {
    const metadata = (json(e.metadata) ?? {}) as Record<string, unknown>;
    return consentContent({
      event_id: e.event_id,
      case_id: e.stream_id.replace(/^case-/, ''),
      revision: Number(e.stream_revision),
      event_type: e.event_type,
      ...trailActor(metadata, iso(e.recorded_at)),
      details: trailDetails({ type: e.event_type, data: json(e.data) } as CaseEvent),
    });
  } catch {
    return { unreadable: true };
  }
}

/** An event, trail row or access record without its chain entry (events the projector has yet to apply excepted). */
async function firstUnchained(db: SqlClient, pending: VerifyOptions['pending']): Promise<BrokenLink | undefined> {
  const missing = (table: string, key: string, kind: string, order: string) =>
    `SELECT ${key}::text AS ref FROM ${table} r WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.kind = '${kind}' AND c.ref = r.${key}::text) ORDER BY ${order} LIMIT 100`;
  for (const [table, key, kind, order] of [
    ['consent_trail', 'event_id', 'consent', 'occurred_at'],
    ['personal_data_access', 'id', 'access', 'id'],
  ] as const) {
    const [row] = await db.query<{ ref: string }>(missing(table, key, kind, order));
    if (row) return { kind, ref: row.ref, reason: 'unchained_record', detail: `a row of ${table} has no chain entry` };
  }
  const candidates = (await db.query<{ ref: string }>(missing('events', 'event_id', 'event', 'global_position'))).map((r) => r.ref);
  if (candidates.length === 0) return undefined;
  const waiting = await pending();
  // Read after the pending list: an event the projector chained meanwhile is no longer a candidate.
  const chained = new Set(
    (await db.query<{ ref: string }>("SELECT ref FROM audit_chain WHERE kind = 'event' AND ref = ANY($1::text[])", [candidates])).map(
      (r) => r.ref,
    ),
  );
  const ref = candidates.find((id) => !waiting.has(id) && !chained.has(id));
  return ref ? { kind: 'event', ref, reason: 'unchained_record', detail: 'an event in the store has no chain entry' } : undefined;
}

/** Beyond this many events behind, the projector's backlog counts as unchained: verify again once it has caught up. */
const PENDING_LIMIT = 10_000;

/** The events after the read models' checkpoint: not chained yet, and rightly so. */
export const notYetProjected = (runner: ProjectionRunner, store: EventStore) => async (): Promise<ReadonlySet<string>> => {
  const { position } = await runner.checkpoint();
  return new Set((await store.readAll(position, PENDING_LIMIT)).events.map((e) => e.eventId));
};
