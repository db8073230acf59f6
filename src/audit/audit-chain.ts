import { nextEntry } from '../../libs/audit-chain/index.js';
import type { EventPlace } from '../../libs/event-store/index.js';
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
${appendOnly('audit_chain', 'the audit chain is append-only')}
-- Where each chained event is in the store, written with its entry: verify reads the event there,
-- since an event store need not look events up by id (KurrentDB cannot). Not vouched for by the
-- chain, and need not be: the entry's hash covers the event's stream and revision, so a wrong place
-- only makes verify name a broken link, never pass.
CREATE TABLE IF NOT EXISTS audit_chain_event_places (
  ref text PRIMARY KEY,
  stream_id text NOT NULL,
  revision bigint NOT NULL
);
${appendOnly('audit_chain_event_places', 'the places of chained events are append-only')}
-- Events chained before places were kept: their places from the SQL store, once (a KurrentDB
-- store's come with the replay of npm run rebuild, see appendToChain).
DO $$ BEGIN
  IF to_regclass('events') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_chain_event_places) THEN
    INSERT INTO audit_chain_event_places (ref, stream_id, revision)
    SELECT c.ref, e.stream_id, e.stream_revision FROM audit_chain c JOIN events e ON e.event_id::text = c.ref WHERE c.kind = 'event';
  END IF;
END $$;`;

/** Serialises appends across transactions and processes. */
const CHAIN_LOCK = 7_451_033;

export type ChainKind = 'event' | 'consent' | 'access';
export type ChainRecord =
  | { readonly kind: 'consent' | 'access'; readonly ref: string; readonly content: unknown }
  | { readonly kind: 'event'; readonly ref: string; readonly content: unknown; readonly place: EventPlace };

export async function appendToChain(tx: SqlClient, records: readonly ChainRecord[]): Promise<void> {
  if (records.length === 0) return;
  await tx.query(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
  // Already chained (a rebuild replays every event): their entries stay as they are; and placed, for events.
  const present = new Map(
    (
      await tx.query<{ key: string; placed: boolean }>(
        `SELECT c.kind || ':' || c.ref AS key, p.ref IS NOT NULL AS placed
           FROM audit_chain c LEFT JOIN audit_chain_event_places p ON c.kind = 'event' AND p.ref = c.ref
          WHERE (c.kind, c.ref) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [records.map((r) => r.kind), records.map((r) => r.ref)],
      )
    ).map((r) => [r.key, r.placed]),
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
  // Every event's not placed yet, chained now or before: a replay gives the entries chained before places were kept theirs.
  const places = records.flatMap((r) =>
    r.kind === 'event' && present.get(`event:${r.ref}`) !== true
      ? [{ ref: r.ref, stream_id: r.place.streamId, revision: r.place.revision }]
      : [],
  );
  if (places.length > 0)
    await tx.query(
      `INSERT INTO audit_chain_event_places (ref, stream_id, revision)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(ref text, stream_id text, revision bigint)
       ON CONFLICT (ref) DO NOTHING`,
      [JSON.stringify(places)],
    );
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
