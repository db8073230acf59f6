import { type CaseEvent, grantEnds } from '../../libs/domain/index.js';
import type { RecordedEvent } from '../../libs/event-store/index.js';
import type { Projection } from '../../libs/projections/index.js';
import type { SqlClient } from '../../libs/sql/index.js';
import { caseIdOf } from '../cases/case-stream.js';

/**
 * When the consent-expiry process must next look at each case: every moment a consent provision
 * or a best-interests determination's scope entry ends, with the revision of the event that set
 * it (the process removes a moment once it has run the case at that revision or later). No
 * personal data, no agency: a case id and a time.
 */
export const consentDeadlines: Projection = {
  name: 'consent-deadlines',
  tables: ['consent_deadlines'],
  schema: `
CREATE TABLE IF NOT EXISTS consent_deadlines (
  case_id uuid NOT NULL,
  deadline timestamptz NOT NULL,
  revision int NOT NULL,
  PRIMARY KEY (case_id, deadline)
);
CREATE INDEX IF NOT EXISTS consent_deadlines_by_time ON consent_deadlines (deadline);`,

  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    const rows: Array<{ case_id: string; deadline: string; revision: number }> = [];
    const erased: string[] = [];
    for (const recorded of events) {
      const caseId = caseIdOf(recorded.streamId);
      if (caseId === undefined) continue;
      const event = { type: recorded.type, data: recorded.data } as CaseEvent;
      // A proposal's ends are kept too: the decider counts them only once the determination is approved.
      const grants =
        event.type === 'ConsentGiven' ? event.data.provisions : event.type === 'BestInterestsDeterminationProposed' ? event.data.scope : [];
      for (const deadline of grantEnds(grants)) rows.push({ case_id: caseId, deadline, revision: recorded.revision });
      if (event.type === 'CaseErased') erased.push(caseId);
    }
    if (rows.length > 0) {
      await tx.query(
        `INSERT INTO consent_deadlines (case_id, deadline, revision)
         SELECT case_id, deadline, max(revision) FROM jsonb_to_recordset($1::jsonb) AS r(case_id uuid, deadline timestamptz, revision int)
          GROUP BY case_id, deadline
         ON CONFLICT (case_id, deadline) DO UPDATE SET revision = greatest(consent_deadlines.revision, EXCLUDED.revision)`,
        [JSON.stringify(rows)],
      );
    }
    // Nothing of an erased case is shared any more: nothing is left to expire.
    if (erased.length > 0) await tx.query('DELETE FROM consent_deadlines WHERE case_id = ANY($1::uuid[])', [erased]);
  },
};
