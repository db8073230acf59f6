import type { SqlClient } from '../../libs/sql/index.js';
import type { ConsentTrailEntry } from './fhir-consent-resources.js';

/** A row of the consent trail, as the auditor's reads select it. */
export interface TrailRow {
  revision: number;
  event_type: string;
  occurred_at: Date;
  actor_user_id: string;
  actor_agency_id: string;
  details: unknown;
}

export const trailEntry = (row: TrailRow): ConsentTrailEntry => ({
  revision: row.revision,
  type: row.event_type,
  occurredAt: new Date(row.occurred_at).toISOString(),
  actorUserId: row.actor_user_id,
  actorAgencyId: row.actor_agency_id,
  details: row.details,
});

/** A case's consent trail in recording order, as auditors and the FHIR export read it: no personal data. */
export async function caseConsentTrail(db: SqlClient, caseId: string): Promise<ConsentTrailEntry[]> {
  const rows = await db.query<TrailRow>(
    'SELECT revision, event_type, occurred_at, actor_user_id, actor_agency_id, details FROM consent_trail WHERE case_id = $1 ORDER BY revision',
    [caseId],
  );
  return rows.map(trailEntry);
}
