import type { CaseEvent } from '../../libs/domain/index.js';
import type { RecordedEvent } from '../../libs/event-store/index.js';
import type { Projection } from '../../libs/projections/index.js';
import type { SqlClient } from '../../libs/sql/index.js';
import { agencyScopedTable } from '../platform/agency-scope.js';
import { type CaseRecord, evolveCaseRecord } from './case-record.js';
import { caseIdOf } from './case-stream.js';
import { type RecipientViewInput, recipientSlice } from './recipient-view.js';

/** One agency's stored view of one case: the whole record for the owner, a slice for a recipient. */
/** AgencyCaseRow's columns, named rather than `*`: a prepared read keeps its shape when a newer version adds one. */
export const AGENCY_CASE_COLUMNS = 'agency_id, case_id, relation, case_status, opened_at, updated_at, revision, view';

export interface AgencyCaseRow {
  agency_id: string;
  case_id: string;
  relation: 'owner' | 'recipient';
  case_status: CaseRecord['status'];
  opened_at: string;
  updated_at: string;
  revision: number;
  view: CaseRecord | RecipientViewInput;
}

/**
 * Each agency's view of each case it may know of, one row per agency and case, stored per agency
 * (why: a row-level security policy can then wall agencies apart in the database itself, and a
 * withdrawn category leaves the recipient's row in the very batch that sees the withdrawal).
 * Personal data stays sealed here; it is opened only for the reader, at read time, when
 * recipientView also applies what depends on the clock (expiry).
 */
export const caseViews: Projection = {
  name: 'case-views',
  tables: ['agency_case_views'],
  schema: `
CREATE TABLE IF NOT EXISTS agency_case_views (
  agency_id uuid NOT NULL,
  case_id uuid NOT NULL,
  relation text NOT NULL CHECK (relation IN ('owner', 'recipient')),
  case_status text NOT NULL,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision int NOT NULL,
  view jsonb NOT NULL,
  PRIMARY KEY (agency_id, case_id)
);
-- In the list's order, case_id too: cases updated at the same instant are then read a page at a time, not sorted whole.
CREATE INDEX IF NOT EXISTS agency_case_views_list ON agency_case_views (agency_id, updated_at DESC, case_id DESC);
CREATE INDEX IF NOT EXISTS agency_case_views_owner ON agency_case_views (case_id) WHERE relation = 'owner';
${agencyScopedTable('agency_case_views')}`,

  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    const caseEvents = events.flatMap((e) => {
      const caseId = caseIdOf(e.streamId);
      return caseId === undefined ? [] : [{ caseId, event: { type: e.type, data: e.data } as CaseEvent }];
    });
    if (caseEvents.length === 0) return;
    const caseIds = [...new Set(caseEvents.map((e) => e.caseId))];
    const stored = await tx.query<{ case_id: string; view: CaseRecord }>(
      `SELECT case_id, view FROM agency_case_views WHERE relation = 'owner' AND case_id = ANY($1::uuid[])`,
      [caseIds],
    );
    const records = new Map<string, CaseRecord | undefined>(stored.map((r) => [r.case_id, r.view]));
    // Fold the whole batch in memory, then write each touched case once.
    for (const { caseId, event } of caseEvents) records.set(caseId, evolveCaseRecord(records.get(caseId), event));
    const rows = [...records.values()].flatMap((record) => (record ? rowsOf(record) : []));
    await tx.query(
      `INSERT INTO agency_case_views (agency_id, case_id, relation, case_status, opened_at, updated_at, revision, view)
       SELECT agency_id, case_id, relation, case_status, opened_at, updated_at, revision, view
         FROM jsonb_to_recordset($1::jsonb) AS r(agency_id uuid, case_id uuid, relation text, case_status text,
              opened_at timestamptz, updated_at timestamptz, revision int, view jsonb)
       ON CONFLICT (agency_id, case_id) DO UPDATE SET relation = EXCLUDED.relation, case_status = EXCLUDED.case_status,
         updated_at = EXCLUDED.updated_at, revision = EXCLUDED.revision, view = EXCLUDED.view`,
      [JSON.stringify(rows)],
    );
  },
};

/** The owner's row and one row per agency the case was ever referred to. */
function rowsOf(record: CaseRecord): AgencyCaseRow[] {
  const row = (agencyId: string, relation: AgencyCaseRow['relation'], view: AgencyCaseRow['view']): AgencyCaseRow => ({
    agency_id: agencyId,
    case_id: record.caseId,
    relation,
    case_status: record.status,
    opened_at: record.openedAt,
    updated_at: view.updatedAt,
    revision: record.revision,
    view,
  });
  const recipients = new Map(record.referrals.map((r) => [r.toAgencyId, r.toAgencyKind]));
  recipients.delete(record.owningAgencyId);
  return [
    row(record.owningAgencyId, 'owner', record),
    ...[...recipients].map(([agencyId, agencyKind]) =>
      row(agencyId, 'recipient', recipientSlice(record, { agencyId, agencyKind }, record.updatedAt)!),
    ),
  ];
}
