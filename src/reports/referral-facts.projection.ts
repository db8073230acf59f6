import { PURPOSES } from '../../libs/consent-policy/index.js';
import { type CaseEvent, REFERRAL_STATUS_AFTER, directoryServiceFor } from '../../libs/domain/index.js';
import type { RecordedEvent } from '../../libs/event-store/index.js';
import type { Projection } from '../../libs/projections/index.js';
import type { SqlClient } from '../../libs/sql/index.js';
import { caseIdOf } from '../cases/case-stream.js';
import { WAITING_FOR_RESPONSE } from '../referrals/referral-inbox.projection.js';

export type ReferralEvent = Extract<CaseEvent, { type: `Referral${string}` }>;

/** A stored row, as read back and as written. Timestamps are ISO strings when folded, Dates when read. */
export interface ReferralFactRow {
  referral_id: string;
  from_agency_id: string;
  to_agency_id: string;
  to_agency_kind: string;
  purpose: string;
  service_type: string | null;
  area: string | null;
  urgency: string;
  requested_at: string | Date;
  /** The current deadline: a resumed referral gets a new one. */
  respond_by: string | Date;
  on_hold: boolean;
  /** The first acknowledgement, acceptance or decline. */
  first_response_at: string | Date | null;
  /** Acceptance or decline. */
  decided_at: string | Date | null;
  completed_at: string | Date | null;
  status: string;
  decline_reason: string | null;
  withdrawal_cause: string | null;
  re_referral_of: string | null;
}

const isReferralEvent = (event: CaseEvent): event is ReferralEvent => event.type.startsWith('Referral');

/** One referral's facts after `event`; undefined for a step of a referral never requested (not in a valid stream). */
export function nextFact(row: ReferralFactRow | undefined, event: ReferralEvent): ReferralFactRow | undefined {
  if (event.type === 'ReferralRequested') {
    const r = event.data;
    return {
      referral_id: r.referralId,
      from_agency_id: r.fromAgencyId,
      to_agency_id: r.toAgencyId,
      to_agency_kind: r.toAgencyKind,
      purpose: r.purpose,
      service_type: directoryServiceFor(r.purpose, r.serviceType) ?? null,
      area: r.area ?? null,
      urgency: r.urgency,
      requested_at: r.requestedAt,
      respond_by: r.respondBy,
      on_hold: false,
      first_response_at: null,
      decided_at: null,
      completed_at: null,
      status: 'requested',
      decline_reason: null,
      withdrawal_cause: null,
      re_referral_of: r.reReferralOf ?? null,
    };
  }
  if (!row) return undefined;
  const at = event.data.at;
  switch (event.type) {
    case 'ReferralPutOnHold':
      return { ...row, on_hold: true };
    case 'ReferralResumed':
      return { ...row, on_hold: false, respond_by: event.data.respondBy };
    case 'ReferralAcknowledged':
      return { ...row, status: REFERRAL_STATUS_AFTER[event.type], first_response_at: row.first_response_at ?? at };
    case 'ReferralAccepted':
      return { ...row, status: REFERRAL_STATUS_AFTER[event.type], first_response_at: row.first_response_at ?? at, decided_at: at };
    // An ended referral waits for nothing (on_hold false), even one ended while its case was paused.
    case 'ReferralDeclined':
      return {
        ...row,
        status: REFERRAL_STATUS_AFTER[event.type],
        on_hold: false,
        first_response_at: row.first_response_at ?? at,
        decided_at: at,
        decline_reason: event.data.reason,
      };
    case 'ReferralCompleted':
      return { ...row, status: REFERRAL_STATUS_AFTER[event.type], on_hold: false, completed_at: at };
    case 'ReferralWithdrawn':
      return { ...row, status: REFERRAL_STATUS_AFTER[event.type], on_hold: false, withdrawal_cause: event.data.cause };
  }
}

/**
 * Rows written before a legal_assistance or family_tracing referral was counted by its directory
 * service (issue 12, finding 10) get that service at the next start; idempotent, from the domain's one mapping.
 */
const SERVICE_OF_PURPOSE = PURPOSES.flatMap((purpose) => {
  const service = purpose === 'service_provision' ? undefined : directoryServiceFor(purpose, undefined);
  return service ? [`UPDATE referral_facts SET service_type = '${service}' WHERE purpose = '${purpose}' AND service_type IS NULL;`] : [];
}).join('\n');

/**
 * The facts of every referral in the network, for the coordinator's statistics: who referred to
 * whom, for what, in which area, how fast it was answered and how it ended. Never a case id, a note
 * or any personal data, so a row cannot be traced back to a person. Not agency-scoped (no row-level
 * security): the reports are network-wide by purpose, and only ReportsService reads this table, for
 * the network coordinator; the agency reader role has no grant on it at all.
 */
export const referralFacts: Projection = {
  name: 'referral-facts',
  tables: ['referral_facts'],
  schema: `
CREATE TABLE IF NOT EXISTS referral_facts (
  referral_id uuid PRIMARY KEY,
  from_agency_id uuid NOT NULL,
  to_agency_id uuid NOT NULL,
  to_agency_kind text NOT NULL,
  purpose text NOT NULL,
  service_type text,
  area text,
  urgency text NOT NULL,
  requested_at timestamptz NOT NULL,
  respond_by timestamptz NOT NULL,
  on_hold boolean NOT NULL,
  first_response_at timestamptz,
  decided_at timestamptz,
  completed_at timestamptz,
  status text NOT NULL,
  decline_reason text,
  withdrawal_cause text,
  re_referral_of uuid
);
CREATE INDEX IF NOT EXISTS referral_facts_by_request ON referral_facts (requested_at);
CREATE INDEX IF NOT EXISTS referral_facts_waiting ON referral_facts (respond_by) WHERE ${WAITING_FOR_RESPONSE};
${SERVICE_OF_PURPOSE}`,

  async apply(tx: SqlClient, events: readonly RecordedEvent[]): Promise<void> {
    const referralEvents = events.flatMap((recorded) => {
      const event = { type: recorded.type, data: recorded.data } as CaseEvent;
      return caseIdOf(recorded.streamId) !== undefined && isReferralEvent(event) ? [event] : [];
    });
    if (referralEvents.length === 0) return;
    // Fold the batch in memory from the stored rows, then write every touched row once.
    const ids = [...new Set(referralEvents.map((event) => event.data.referralId))];
    const stored = await tx.query<ReferralFactRow>('SELECT * FROM referral_facts WHERE referral_id = ANY($1::uuid[])', [ids]);
    const rows = new Map<string, ReferralFactRow | undefined>(stored.map((row) => [row.referral_id, row]));
    for (const event of referralEvents) rows.set(event.data.referralId, nextFact(rows.get(event.data.referralId), event));
    const touched = [...rows.values()].filter((row) => row !== undefined);
    await tx.query(
      `INSERT INTO referral_facts (referral_id, from_agency_id, to_agency_id, to_agency_kind, purpose, service_type, area, urgency, requested_at,
         respond_by, on_hold, first_response_at, decided_at, completed_at, status, decline_reason, withdrawal_cause, re_referral_of)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(referral_id uuid, from_agency_id uuid, to_agency_id uuid, to_agency_kind text,
         purpose text, service_type text, area text, urgency text, requested_at timestamptz, respond_by timestamptz, on_hold boolean,
         first_response_at timestamptz, decided_at timestamptz, completed_at timestamptz, status text, decline_reason text,
         withdrawal_cause text, re_referral_of uuid)
       ON CONFLICT (referral_id) DO UPDATE SET respond_by = EXCLUDED.respond_by, on_hold = EXCLUDED.on_hold,
         first_response_at = EXCLUDED.first_response_at, decided_at = EXCLUDED.decided_at, completed_at = EXCLUDED.completed_at,
         status = EXCLUDED.status, decline_reason = EXCLUDED.decline_reason, withdrawal_cause = EXCLUDED.withdrawal_cause`,
      [JSON.stringify(touched)],
    );
  },
};
