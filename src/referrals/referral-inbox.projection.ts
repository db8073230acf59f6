import { type CaseEvent, REFERRAL_STATUS_AFTER } from '../../libs/domain/index.js';
import type { RecordedEvent } from '../../libs/event-store/index.js';
import { type Projection, eachEvent } from '../../libs/projections/index.js';
import type { SqlClient } from '../../libs/sql/index.js';
import { agencyScopedTable } from '../platform/agency-scope.js';

/**
 * Each agency's referrals, incoming and outgoing: one row per referral and side. Only what a
 * recipient may always know of a referral addressed to it (who, what for, which categories,
 * status, deadlines); never personal data or notes.
 */
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
CREATE INDEX IF NOT EXISTS referral_inbox_by_agency ON referral_inbox (agency_id, direction, status, requested_at DESC);
${agencyScopedTable('referral_inbox')}`,

  apply: eachEvent(async (tx: SqlClient, recorded: RecordedEvent): Promise<void> => {
    const event = { type: recorded.type, data: recorded.data } as CaseEvent;
    switch (event.type) {
      case 'ReferralRequested': {
        const r = event.data;
        const caseId = recorded.streamId.replace(/^case-/, '');
        for (const [direction, agency, counterpart] of [['incoming', r.toAgencyId, r.fromAgencyId], ['outgoing', r.fromAgencyId, r.toAgencyId]] as const) {
          await tx.query(
            `INSERT INTO referral_inbox (referral_id, direction, agency_id, counterpart_agency_id, case_id, purpose, service_type, urgency,
               shared_categories, status, requested_at, respond_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'requested', $10, $11, $10)
             ON CONFLICT (referral_id, direction) DO NOTHING`,
            [r.referralId, direction, agency, counterpart, caseId, r.purpose, r.serviceType ?? null, r.urgency, r.sharedCategories, r.requestedAt, r.respondBy],
          );
        }
        return;
      }
      case 'ReferralAcknowledged':
      case 'ReferralAccepted':
      case 'ReferralDeclined':
      case 'ReferralCompleted':
      case 'ReferralWithdrawn':
        await tx.query(
          `UPDATE referral_inbox SET status = $2, updated_at = $3, withdrawal_cause = $4, decline_reason = $5 WHERE referral_id = $1`,
          [
            event.data.referralId,
            REFERRAL_STATUS_AFTER[event.type],
            event.data.at,
            event.type === 'ReferralWithdrawn' ? event.data.cause : null,
            event.type === 'ReferralDeclined' ? event.data.reason : null,
          ],
        );
        return;
      default:
        return;
    }
  }),
};

