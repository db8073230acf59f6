import { type ChainEntry, type Verification, nextEntry, verifyChain } from '../../libs/audit-chain/index.js';
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
  const refs = records.map((r) => `${r.kind}:${r.ref}`);
  // Already chained (a rebuild replays consent events): their entries stay as they are.
  const present = new Set((await tx.query<{ key: string }>(`SELECT kind || ':' || ref AS key FROM audit_chain WHERE kind || ':' || ref = ANY($1::text[])`, [refs])).map((r) => r.key));
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
  const consents = new Map((await db.query<ConsentTrailRow>('SELECT * FROM consent_trail')).map((r) => [r.event_id, consentContent(r)]));
  const accesses = new Map((await db.query<AccessRow>('SELECT * FROM personal_data_access')).map((r) => [String(r.id), accessContent(r)]));
  const entries = rows.map((r): ChainEntry => ({ seq: Number(r.seq), kind: r.kind, ref: r.ref, contentHash: r.content_hash, prevHash: r.prev_hash, entryHash: r.entry_hash }));
  return verifyChain(entries, (kind, ref) => (kind === 'consent' ? consents.get(ref) : accesses.get(ref)));
}
