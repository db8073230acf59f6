import { isLive } from '../../libs/consent-policy/index.js';
import type { CaseEvent } from '../../libs/domain/index.js';
import { type CaseRecord, type RecordedProvision, evolveCaseRecord } from './case-record.js';

export type ProvisionStatus = 'live' | 'withdrawn' | 'expired' | 'not_yet_valid';

/** The case record as its owning agency reads it at a moment: each consent provision with its status then. */
export type CaseView = Omit<CaseRecord, 'consents'> & {
  consents: Array<
    Omit<CaseRecord['consents'][number], 'provisions'> & { provisions: Array<RecordedProvision & { status: ProvisionStatus }> }
  >;
};

/** The record as read at `at`: each provision live, withdrawn, expired or not yet valid. */
export function caseViewAt(record: CaseRecord, at: string): CaseView {
  return {
    ...record,
    consents: record.consents.map((c) => ({ ...c, provisions: c.provisions.map((p) => ({ ...p, status: provisionStatus(p, at) })) })),
  };
}

/** The owning agency's view of its case at `at`, folded from the case's events. */
export function foldCaseView(events: readonly CaseEvent[], at: string): CaseView | undefined {
  const record = events.reduce<CaseRecord | undefined>(evolveCaseRecord, undefined);
  return record && caseViewAt(record, at);
}

function provisionStatus(provision: RecordedProvision, at: string): ProvisionStatus {
  if (provision.withdrawnAt !== undefined) return 'withdrawn';
  if (isLive({ consentId: '', provisions: [provision], withdrawals: {} }, provision, at)) return 'live';
  return Date.parse(at) < Date.parse(provision.validFrom) ? 'not_yet_valid' : 'expired';
}
