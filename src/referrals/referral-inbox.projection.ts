import { AWAITING_ANSWER, type CaseEvent, REFERRAL_STATUS_AFTER, isOpenReferral } from '../../libs/domain/index.js';
import type { RecordedEvent } from '../../libs/event-store/index.js';
import type { Projection } from '../../libs/projections/index.js';
import type { SqlClient } from '../../libs/sql/index.js';
import { agencyScopedTable } from '../platform/agency-scope.js';
import { recipientWithdrawalCause } from '../cases/recipient-view.js';

/**
 * Each agency's referrals, incoming and outgoing: one row per referral and side. Only what a
 * recipient may always know of a referral addressed to it (who, what for, which categories,
 * status, deadlines); never personal data or notes.
 */
/** A stored row, as read back and as written. */
/** InboxRow's columns, named rather than `*`: a prepared read keeps its shape when a newer version adds one. */
export const INBOX_COLUMNS =
  'referral_id, direction, agency_id, counterpart_agency_id, case_id, purpose, service_type, urgency, shared_categories, status, withdrawal_cause, decline_reason, requested_at, respond_by, on_hold, updated_at';

export interface InboxRow {
  referral_id: string;
  direction: 'incoming' | 'outgoing';
  agency_id: string;
  counterpart_agency_id: string;
  case_id: string;
  purpose: string;
  service_type: string | null;
  urgency: string;
  shared_categories: string[];
  status: string;
  withdrawal_cause: string | null;
  decline_reason: string | null;
  requested_at: string | Date;
  respond_by: string | Date;
  on_hold: boolean;
  updated_at: string | Date;
}

const HOLD_EVENTS = new Set<string>(['ReferralPutOnHold', 'ReferralResumed']);

/**
 * The referrals a respond-by deadline applies to, as SQL over a table with `status` and `on_hold`
 * (this inbox, the reports' referral_facts): awaiting an answer, and not waiting for a paused case.
 */
export const WAITING_FOR_RESPONSE = `status IN (${AWAITING_ANSWER.map((s) => `'${s}'`).join(', ')}) AND NOT on_hold`;

export const referralInbox: Projection = {
  name: 'referral-inbox',
  tables: ['referral_inbox'],
  schema: `
CREATE TABLE IF NOT EXISTS referral_inbox (
  referral_id uuid NOT NULL,
  direction text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  agency_id uuid NOT NULL,
  counterpart_agency_id uuid NOT NULL,
  case_id uuid NOT NULL,
  purpose text NOT NULL,
  service_type text,
  urgency text NOT NULL,
  shared_categories text[] NOT NULL,
  status text NOT NULL,
  withdrawal_cause text,
  decline_reason text,
  requested_at timestamptz NOT NULL,
  respond_by timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (referral_id, direction)
);
-- A referral waits while its case is paused (ReferralPutOnHold / ReferralResumed).
ALTER TABLE referral_inbox ADD COLUMN IF NOT EXISTS on_hold boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS referral_inbox_by_agency ON referral_inbox (agency_id, direction, status, requested_at DESC);
-- GET /referrals pages by (requested_at, referral_id) whatever the status.
CREATE INDEX IF NOT EXISTS referral_inbox_pages ON referral_inbox (agency_id, direction, requested_at DESC, referral_id DESC);
${agencyScopedTable('referral_inbox')}`,

  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    const referralEvents = events.flatMap((recorded) => {
      const event = { type: recorded.type, data: recorded.data } as CaseEvent;
      return event.type === 'ReferralRequested' || event.type in REFERRAL_STATUS_AFTER || HOLD_EVENTS.has(event.type)
        ? [{ event, caseId: recorded.streamId.replace(/^case-/, '') }]
        : [];
    });
    if (referralEvents.length === 0) return;
    // Fold the batch in memory from the stored rows, then write every touched row once.
    const ids = [...new Set(referralEvents.map(({ event }) => (event.data as { referralId: string }).referralId))];
    const stored = await tx.query<InboxRow>(
      `SELECT referral_id, direction, agency_id, counterpart_agency_id, case_id, purpose, service_type, urgency, shared_categories, status,
              withdrawal_cause, decline_reason, requested_at, respond_by, on_hold, updated_at
         FROM referral_inbox WHERE referral_id = ANY($1::uuid[])`,
      [ids],
    );
    const rows = new Map(stored.map((row) => [`${row.referral_id}/${row.direction}`, row]));
    for (const { event, caseId } of referralEvents) {
      if (event.type === 'ReferralRequested') {
        const r = event.data;
        for (const [direction, agency, counterpart] of [
          ['incoming', r.toAgencyId, r.fromAgencyId],
          ['outgoing', r.fromAgencyId, r.toAgencyId],
        ] as const) {
          const key = `${r.referralId}/${direction}`;
          if (!rows.has(key)) {
            rows.set(key, {
              referral_id: r.referralId,
              direction,
              agency_id: agency,
              counterpart_agency_id: counterpart,
              case_id: caseId,
              purpose: r.purpose,
              service_type: r.serviceType ?? null,
              urgency: r.urgency,
              shared_categories: [...r.sharedCategories],
              status: 'requested',
              withdrawal_cause: null,
              decline_reason: null,
              requested_at: r.requestedAt,
              respond_by: r.respondBy,
              on_hold: false,
              updated_at: r.requestedAt,
            });
          }
        }
        continue;
      }
      if (event.type === 'ReferralPutOnHold' || event.type === 'ReferralResumed') {
        const { referralId, at } = event.data;
        const respondBy = event.type === 'ReferralResumed' ? { respond_by: event.data.respondBy } : {};
        for (const direction of ['incoming', 'outgoing'] as const) {
          const row = rows.get(`${referralId}/${direction}`);
          if (row)
            rows.set(`${referralId}/${direction}`, { ...row, ...respondBy, on_hold: event.type === 'ReferralPutOnHold', updated_at: at });
        }
        continue;
      }
      if (!(event.type in REFERRAL_STATUS_AFTER)) continue;
      const step = event as Extract<CaseEvent, { type: keyof typeof REFERRAL_STATUS_AFTER }>;
      for (const direction of ['incoming', 'outgoing'] as const) {
        const row = rows.get(`${step.data.referralId}/${direction}`);
        if (!row) continue;
        rows.set(`${step.data.referralId}/${direction}`, {
          ...row,
          status: REFERRAL_STATUS_AFTER[step.type],
          updated_at: step.data.at,
          on_hold: row.on_hold && isOpenReferral(REFERRAL_STATUS_AFTER[step.type]),
          // The receiving agency is never told whether a safety flag ended the referral.
          withdrawal_cause:
            step.type !== 'ReferralWithdrawn'
              ? null
              : direction === 'incoming'
                ? recipientWithdrawalCause(step.data.cause)
                : step.data.cause,
          decline_reason: step.type === 'ReferralDeclined' ? step.data.reason : null,
        });
      }
    }
    await tx.query(
      `INSERT INTO referral_inbox (referral_id, direction, agency_id, counterpart_agency_id, case_id, purpose, service_type, urgency,
         shared_categories, status, withdrawal_cause, decline_reason, requested_at, respond_by, on_hold, updated_at)
       SELECT referral_id, direction, agency_id, counterpart_agency_id, case_id, purpose, service_type, urgency,
         ARRAY(SELECT jsonb_array_elements_text(shared_categories)), status, withdrawal_cause, decline_reason, requested_at, respond_by, on_hold, updated_at
         FROM jsonb_to_recordset($1::jsonb) AS r(referral_id uuid, direction text, agency_id uuid, counterpart_agency_id uuid, case_id uuid,
           purpose text, service_type text, urgency text, shared_categories jsonb, status text, withdrawal_cause text, decline_reason text,
           requested_at timestamptz, respond_by timestamptz, on_hold boolean, updated_at timestamptz)
       ON CONFLICT (referral_id, direction) DO UPDATE SET status = EXCLUDED.status, withdrawal_cause = EXCLUDED.withdrawal_cause,
         decline_reason = EXCLUDED.decline_reason, respond_by = EXCLUDED.respond_by, on_hold = EXCLUDED.on_hold, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify([...rows.values()])],
    );
  },
};
