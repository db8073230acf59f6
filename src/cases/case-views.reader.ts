import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GlobalPosition } from '../../libs/event-store/index.js';
import { ProjectionRunner } from '../../libs/projections/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { readAsAgency } from '../platform/agency-scope.js';
import { decodeCursor, instantPart, pageOf, uuidPart } from '../platform/keyset-cursor.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { AGENCY_CASE_COLUMNS, type AgencyCaseRow } from './case-views.projection.js';

/** A decision waiting for a second person of the owning agency: a best-interests determination or an erasure. */
export interface WaitingApproval {
  readonly kind: 'best_interests_determination' | 'erasure_request';
  readonly caseId: string;
  /** The determination's or the erasure request's id, as the approval route names it. */
  readonly id: string;
  readonly proposedBy: string;
  readonly proposedAt: string;
}

export interface CaseListFilter {
  readonly relation?: AgencyCaseRow['relation'];
  /** Only for the agency's own cases: a recipient must not learn a status consent does not share. */
  readonly status?: AgencyCaseRow['case_status'];
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * A page of an agency's case views, most recently changed first, after the cursor's row:
 * $1 agency, $2 relation, $3 status, $4 and $5 the cursor's updated_at and case_id, $6 the limit.
 */
export const CASE_LIST_STATEMENT = `SELECT ${AGENCY_CASE_COLUMNS} FROM agency_case_views
  WHERE agency_id = $1
    AND ($2::text IS NULL OR relation = $2)
    AND ($3::text IS NULL OR (relation = 'owner' AND case_status = $3))
    AND ($4::timestamptz IS NULL OR (updated_at, case_id) < ($4::timestamptz, $5::uuid))
  ORDER BY updated_at DESC, case_id DESC
  LIMIT $6`;

/** How long a write waits for the read models to show it before answering anyway. */
const READ_YOUR_WRITES_MS = 5000;

/** Reads the per-agency case views, always through row-level security as the caller's agency. */
@Injectable()
export class CaseViews {
  private readonly logger = new Logger('CaseViews');

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly runner: ProjectionRunner,
  ) {}

  async find(agencyId: string, caseId: string): Promise<AgencyCaseRow | undefined> {
    const [row] = await readAsAgency(this.db, agencyId, (tx) =>
      tx.query<AgencyCaseRow>(`SELECT ${AGENCY_CASE_COLUMNS} FROM agency_case_views WHERE agency_id = $1 AND case_id = $2`, [
        agencyId,
        caseId,
      ]),
    );
    return row;
  }

  /** Most recently changed first; `cursor` continues after the last row of the previous page. */
  async list(agencyId: string, filter: CaseListFilter): Promise<{ rows: AgencyCaseRow[]; nextCursor?: string }> {
    const [updatedAt, caseId] = filter.cursor === undefined ? [null, null] : decodeCursor(filter.cursor, [instantPart, uuidPart]);
    const rows = await readAsAgency(this.db, agencyId, (tx) =>
      tx.query<AgencyCaseRow>(CASE_LIST_STATEMENT, [
        agencyId,
        filter.relation ?? null,
        filter.status ?? null,
        updatedAt,
        caseId,
        filter.limit + 1,
      ]),
    );
    return pageOf(rows, filter.limit, (row) => [new Date(row.updated_at).toISOString(), row.case_id]);
  }

  /**
   * What waits for approval in the agency's own cases, oldest first, a page at a time; determinations
   * only while the case is not closed (the decider's rule). Both filters are in SQL, so decisions left
   * waiting on closed cases never fill a page and hide newer ones.
   */
  async waitingApprovals(
    agencyId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: WaitingApproval[]; nextCursor?: string }> {
    const [after, afterId] = page.cursor === undefined ? [null, null] : decodeCursor(page.cursor, [instantPart, uuidPart]);
    const rows = await readAsAgency(this.db, agencyId, (tx) =>
      tx.query<{ kind: WaitingApproval['kind']; case_id: string; id: string; proposed_by: string; proposed_at: string }>(
        `SELECT * FROM (
           SELECT 'best_interests_determination' AS kind, case_id, d->>'determinationId' AS id, d->>'decidedBy' AS proposed_by,
                  d->>'proposedAt' AS proposed_at
             FROM agency_case_views, jsonb_array_elements(view->'determinations') AS d
            WHERE agency_id = $1 AND relation = 'owner' AND case_status <> 'closed' AND d->>'status' = 'proposed'
           UNION ALL
           SELECT 'erasure_request', case_id, view->'erasureRequest'->>'requestId', view->'erasureRequest'->>'requestedBy',
                  view->'erasureRequest'->>'requestedAt'
             FROM agency_case_views
            WHERE agency_id = $1 AND relation = 'owner' AND view ? 'erasureRequest' AND view->'erased' IS NULL
         ) AS waiting
         WHERE $2::timestamptz IS NULL OR (proposed_at::timestamptz, id::uuid) > ($2::timestamptz, $3::uuid)
         ORDER BY proposed_at::timestamptz, id::uuid
         LIMIT $4`,
        [agencyId, after, afterId, page.limit + 1],
      ),
    );
    const { rows: items, nextCursor } = pageOf(rows, page.limit, (row) => [new Date(row.proposed_at).toISOString(), row.id]);
    return {
      items: items.map((row) => ({
        kind: row.kind,
        caseId: row.case_id,
        id: row.id,
        proposedBy: row.proposed_by,
        proposedAt: row.proposed_at,
      })),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  /**
   * Waits until the read models include the write that ended at `position`, so a client that
   * writes and then reads sees its write. Gives up after a few seconds: the write stands either way.
   */
  async awaitWrite(position: GlobalPosition): Promise<void> {
    if (!(await this.runner.reached(position, READ_YOUR_WRITES_MS)))
      this.logger.warn('read models are behind a write; answering without waiting longer');
  }
}
