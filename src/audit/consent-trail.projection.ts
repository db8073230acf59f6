import type { CaseEvent } from '../../libs/domain/index.js';
import type { RecordedEvent } from '../../libs/event-store/index.js';
import { type Projection, eachEvent } from '../../libs/projections/index.js';
import type { SqlClient } from '../../libs/sql/index.js';

/**
 * The auditor's read model: who recorded which consent, to whom, for what, which categories,
 * until when, who withdrew what and when, and which referrals relied on it. Built from an
 * allow-list of fields, so nothing sealed or free-text can reach it.
 */
export const consentTrail: Projection = {
  name: 'consent-trail',
  tables: ['consent_trail'],
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
CREATE INDEX IF NOT EXISTS consent_trail_by_case ON consent_trail (case_id, revision);`,

  apply: eachEvent(async (tx: SqlClient, recorded: RecordedEvent): Promise<void> => {
    const details = trailDetails({ type: recorded.type, data: recorded.data } as CaseEvent);
    if (!details) return;
    await tx.query(
      `INSERT INTO consent_trail (event_id, case_id, revision, event_type, occurred_at, actor_user_id, actor_agency_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING`,
      [
        recorded.eventId, recorded.streamId.replace(/^case-/, ''), recorded.revision, recorded.type,
        String(recorded.metadata.occurredAt ?? recorded.recordedAt.toISOString()),
        String(recorded.metadata.actorUserId ?? ''), String(recorded.metadata.actorAgencyId ?? ''), JSON.stringify(details),
      ],
    );
  }),
};

/** The non-personal facts of the events that make up a consent trail; undefined for other events. */
export function trailDetails(event: CaseEvent): Record<string, unknown> | undefined {
  switch (event.type) {
    case 'CaseOpened':
      return { owningAgencyId: event.data.owningAgencyId, ageGroup: event.data.ageGroup, source: event.data.source };
    case 'ConsentGiven': {
      const { consentId, grantor, childAssent, method, language, interpreterUsed, noticeVersion, givenAt, provisions } = event.data;
      return {
        consentId, grantor, ...(childAssent !== undefined ? { childAssent } : {}), method, language, interpreterUsed, noticeVersion, givenAt,
        provisions: provisions.map(({ provisionId, recipient, purpose, serviceTypes, categories, validFrom, validUntil }) => ({
          provisionId, recipient, purpose, serviceTypes, categories, validFrom, ...(validUntil ? { validUntil } : {}),
        })),
      };
    }
    case 'ConsentWithdrawn': {
      const { consentId, provisionIds, whole, withdrawnAt } = event.data;
      return { consentId, provisionIds, whole, withdrawnAt };
    }
    case 'ReferralRequested': {
      const { referralId, fromAgencyId, toAgencyId, purpose, serviceType, sharedCategories, legalBasis } = event.data;
      return { referralId, fromAgencyId, toAgencyId, purpose, ...(serviceType ? { serviceType } : {}), sharedCategories, legalBasis };
    }
    case 'ReferralWithdrawn':
      return { referralId: event.data.referralId, cause: event.data.cause };
    default:
      return undefined;
  }
}
