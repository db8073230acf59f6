import { type ChainEntry, type Verification, contentHash, nextEntry, verifyChain } from '../../libs/audit-chain/index.js';
import type { CaseEvent } from '../../libs/domain/index.js';
import { trailDetails } from './trail-details.js';
import type { SqlClient, SqlDatabase } from '../../libs/sql/index.js';

/**
 * The tamper-evident chain over consent events (rows of consent_trail) and personal-data access
 * records (rows of personal_data_access). An entry is appended in the same transaction that writes
 * its record, under one lock, so the chain has no gaps and one order. It is not a read model: a
 * rebuild re-creates consent_trail identically and leaves the chain as it is.
 */
export const AUDIT_CHAIN_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_chain (
  seq bigint PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('consent', 'access')),
  ref text NOT NULL,
  content_hash text NOT NULL,
  prev_hash text NOT NULL,
  entry_hash text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, ref)
);`;

/** Serialises appends across transactions and processes. */
const CHAIN_LOCK = 7_451_033;

export type ChainKind = 'consent' | 'access';
export interface ChainRecord {
  readonly kind: ChainKind;
  readonly ref: string;
  readonly content: unknown;
}

interface ConsentTrailRow { event_id: string; case_id: string; revision: number; event_type: string; occurred_at: Date | string; actor_user_id: string; actor_agency_id: string; details: unknown }
interface AccessRow { id: number | string; accessed_at: Date | string; user_id: string; agency_id: string; case_id: string; categories: string[]; legal_basis: unknown }

const iso = (value: Date | string) => new Date(value).toISOString();

/** What the chain vouches for, as read back from the database: the same function on append and on verify. */
export const consentContent = (r: ConsentTrailRow) => ({
  eventId: r.event_id, caseId: r.case_id, revision: Number(r.revision), type: r.event_type, occurredAt: iso(r.occurred_at),
  actorUserId: r.actor_user_id, actorAgencyId: r.actor_agency_id, details: r.details,
});
export const accessContent = (r: AccessRow) => ({
  accessedAt: iso(r.accessed_at), userId: r.user_id, agencyId: r.agency_id, caseId: r.case_id, categories: r.categories, legalBasis: r.legal_basis,
});

export async function appendToChain(tx: SqlClient, records: readonly ChainRecord[]): Promise<void> {
  if (records.length === 0) return;
  await tx.query(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
  // Already chained (a rebuild replays consent events): their entries stay as they are.
  const present = new Set((await tx.query<{ key: string }>(
    `SELECT kind || ':' || ref AS key FROM audit_chain WHERE (kind, ref) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [records.map((r) => r.kind), records.map((r) => r.ref)],
  )).map((r) => r.key));
  const [last] = await tx.query<{ seq: number | string; entry_hash: string }>('SELECT seq, entry_hash FROM audit_chain ORDER BY seq DESC LIMIT 1');
  let previous = last ? { seq: Number(last.seq), entryHash: last.entry_hash } : undefined;
  const entries: ChainEntry[] = [];
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
    [JSON.stringify(entries.map((e) => ({ seq: e.seq, kind: e.kind, ref: e.ref, content_hash: e.contentHash, prev_hash: e.prevHash, entry_hash: e.entryHash })))],
  );
}

/** Recomputes the whole chain against the records as they are now stored; names the first broken link. */
export async function verifyAuditChain(db: SqlDatabase): Promise<Verification> {
  const rows = await db.query<{ seq: number | string; kind: string; ref: string; content_hash: string; prev_hash: string; entry_hash: string }>(
    'SELECT seq, kind, ref, content_hash, prev_hash, entry_hash FROM audit_chain ORDER BY seq');
  const trail = new Map((await db.query<ConsentTrailRow>('SELECT * FROM consent_trail')).map((r) => [r.event_id, consentContent(r)]));
  // The trail is a read model: its rows must also still say what the events themselves say.
  const events = await db.query<{ event_id: string; stream_id: string; stream_revision: number | string; event_type: string; data: Record<string, unknown>; metadata: Record<string, unknown>; recorded_at: Date | string }>(
    `SELECT event_id::text AS event_id, stream_id, stream_revision, event_type, data, metadata, recorded_at FROM events WHERE event_id::text = ANY($1::text[])`,
    [[...trail.keys()]],
  );
  const fromEvents = new Map(events.map((e) => [e.event_id, consentContent({
    event_id: e.event_id, case_id: e.stream_id.replace(/^case-/, ''), revision: Number(e.stream_revision), event_type: e.event_type,
    occurred_at: String(e.metadata.occurredAt ?? iso(e.recorded_at)), actor_user_id: String(e.metadata.actorUserId ?? ''),
    actor_agency_id: String(e.metadata.actorAgencyId ?? ''), details: trailDetails({ type: e.event_type, data: e.data } as CaseEvent),
  })]));
  const consents = new Map([...trail].map(([id, row]) => {
    const event = fromEvents.get(id);
    return [id, event === undefined ? undefined : contentHash(event) === contentHash(row) ? row : { trailDiffersFromEvents: true }];
  }));
  const accesses = new Map((await db.query<AccessRow>('SELECT * FROM personal_data_access')).map((r) => [String(r.id), accessContent(r)]));
  const entries = rows.map((r): ChainEntry => ({ seq: Number(r.seq), kind: r.kind, ref: r.ref, contentHash: r.content_hash, prevHash: r.prev_hash, entryHash: r.entry_hash }));
  return verifyChain(entries, (kind, ref) => (kind === 'consent' ? consents.get(ref) : accesses.get(ref)));
}
