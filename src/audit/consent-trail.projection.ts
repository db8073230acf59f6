import type { CaseEvent } from '../../libs/domain/index.js';
import type { RecordedEvent } from '../../libs/event-store/index.js';
import type { ApplyContext, Projection } from '../../libs/projections/index.js';
import { type SqlClient, appendOnly } from '../../libs/sql/index.js';
import { AUDIT_CHAIN_SCHEMA, type ChainRecord, appendToChain } from './audit-chain.js';
import { consentContent, eventContent } from './chain-content.js';
import { trailActor, trailDetails } from './trail-details.js';

/**
 * The auditor's read model: who recorded which consent, to whom, for what, which categories,
 * until when, who withdrew what and when, and which referrals relied on it. Built from an
 * allow-list of fields, so nothing sealed or free-text can reach it. Append-only like the chain
 * that vouches for it: a rebuild keeps its rows (the replay finds each one already there).
 *
 * Every event of the batch is chained here too, whatever its type, with its trail row after it.
 */
export const consentTrail: Projection = {
  name: 'consent-trail',
  // Append-only like the chain over it: a rebuild keeps its rows (replayed events are skipped), and the projector may not delete them.
  tables: [],
  schema: `
CREATE TABLE IF NOT EXISTS consent_trail (
  event_id uuid PRIMARY KEY,
  case_id uuid NOT NULL,
  revision int NOT NULL,
  event_type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_user_id text NOT NULL,
  actor_agency_id text NOT NULL,
  details jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_trail_by_case ON consent_trail (case_id, revision);
-- The network-wide export pages in this order.
CREATE INDEX IF NOT EXISTS consent_trail_by_time ON consent_trail (occurred_at, case_id, revision);
${appendOnly('consent_trail', 'the consent trail is append-only')}
${AUDIT_CHAIN_SCHEMA}`,

  async apply(tx: SqlClient, events: readonly RecordedEvent[], context?: ApplyContext): Promise<void> {
    const candidates = events.flatMap((recorded) => {
      const details = trailDetails({ type: recorded.type, data: recorded.data } as CaseEvent);
      return details
        ? [
            {
              event_id: recorded.eventId,
              case_id: recorded.streamId.replace(/^case-/, ''),
              revision: recorded.revision,
              event_type: recorded.type,
              ...trailActor(recorded.metadata, recorded.recordedAt.toISOString()),
              details,
            },
          ]
        : [];
    });
    // A replay finds most rows already there: asking which costs their ids, sending them costs whole rows.
    const kept = new Set(
      context?.replay && candidates.length > 0
        ? (
            await tx.query<{ event_id: string }>('SELECT event_id FROM consent_trail WHERE event_id = ANY($1::uuid[])', [
              candidates.map((r) => r.event_id),
            ])
          ).map((r) => r.event_id)
        : [],
    );
    const rows = candidates.filter((r) => !kept.has(r.event_id));
    // One statement per batch: a rebuild replays every event through here.
    const inserted =
      rows.length === 0
        ? []
        : await tx.query<Parameters<typeof consentContent>[0]>(
            `INSERT INTO consent_trail (event_id, case_id, revision, event_type, occurred_at, actor_user_id, actor_agency_id, details)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(event_id uuid, case_id uuid, revision int, event_type text, occurred_at timestamptz,
         actor_user_id text, actor_agency_id text, details jsonb)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING *`,
            [JSON.stringify(rows)],
          );
    // Chained in the batch's transaction, in the order of the events: one append for the whole batch.
    const trail = new Map(inserted.map((r) => [r.event_id, r]));
    await appendToChain(
      tx,
      events.flatMap((e): ChainRecord[] => {
        const row = trail.get(e.eventId);
        return [
          { kind: 'event', ref: e.eventId, content: eventContent(e), place: { streamId: e.streamId, revision: e.revision } },
          ...(row ? [{ kind: 'consent' as const, ref: row.event_id, content: consentContent(row) }] : []),
        ];
      }),
    );
  },
};
