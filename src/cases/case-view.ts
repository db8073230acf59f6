import { isLive, type ConsentProvision } from '../../libs/consent-policy/index.js';
import type { CaseEvent, ConsentGiven, ReferralRequested, Sealed } from '../../libs/domain/index.js';
import { REFERRAL_STATUS_AFTER, type ReferralStatus } from '../../libs/domain/index.js';

export type ProvisionStatus = 'live' | 'withdrawn' | 'expired' | 'not_yet_valid';

export interface CaseView {
  caseId: string;
  revision: number;
  status: 'open' | 'paused' | 'closed';
  owningAgencyId: string;
  openedAt: string;
  openedBy: string;
  source: string;
  indicators: readonly string[];
  ageGroup: string;
  /** Sealed by category here; the service decrypts for the owning agency only. */
  personalData: Record<string, Sealed>;
  consents: Array<Omit<ConsentGiven['data'], 'provisions'> & { provisions: Array<ConsentProvision & { status: ProvisionStatus; withdrawnAt?: string }> }>;
  referrals: Array<Omit<ReferralRequested['data'], 'note'> & { status: ReferralStatus; note?: Sealed; declineReason?: string; declineNote?: Sealed; outcome?: Sealed; withdrawalCause?: string; updatedAt: string }>;
  timeline: Array<{ type: CaseEvent['type']; at: string; by: string; reason?: string; note?: Sealed }>;
}


/** The owning agency's view of its case at `at`, folded from the case's events. */
export function foldCaseView(events: readonly CaseEvent[], at: string): CaseView | undefined {
  const [first, ...rest] = events;
  if (first?.type !== 'CaseOpened') return undefined;
  const { caseId, owningAgencyId, openedAt, openedBy, source, indicators, ageGroup, personalData } = first.data;
  const view: CaseView = {
    caseId, revision: events.length - 1, status: 'open', owningAgencyId, openedAt, openedBy, source, indicators, ageGroup,
    personalData: { ...personalData }, consents: [], referrals: [], timeline: [{ type: 'CaseOpened', at: openedAt, by: openedBy }],
  };
  const withdrawals: Record<string, Record<string, string>> = {};
  for (const event of rest) {
    switch (event.type) {
      case 'ConsentGiven':
        withdrawals[event.data.consentId] = {};
        view.consents.push({ ...event.data, provisions: [] });
        break;
      case 'ConsentWithdrawn':
        for (const id of event.data.provisionIds) withdrawals[event.data.consentId]![id] = event.data.withdrawnAt;
        break;
      case 'ReferralRequested':
        view.referrals.push({ ...event.data, status: 'requested', updatedAt: event.data.requestedAt });
        break;
      case 'ReferralAcknowledged':
      case 'ReferralAccepted':
      case 'ReferralDeclined':
      case 'ReferralCompleted':
      case 'ReferralWithdrawn': {
        const referral = view.referrals.find((r) => r.referralId === event.data.referralId)!;
        referral.status = REFERRAL_STATUS_AFTER[event.type];
        referral.updatedAt = event.data.at;
        if (event.type === 'ReferralDeclined') {
          referral.declineReason = event.data.reason;
          if (event.data.note) referral.declineNote = event.data.note;
        }
        if (event.type === 'ReferralCompleted') referral.outcome = event.data.outcome;
        if (event.type === 'ReferralWithdrawn') referral.withdrawalCause = event.data.cause;
        break;
      }
      case 'CaseInterrupted':
        view.status = 'paused';
        view.timeline.push({ type: event.type, at: event.data.at, by: event.data.by, reason: event.data.reason, ...(event.data.note ? { note: event.data.note } : {}) });
        break;
      case 'CaseClosed':
        view.status = 'closed';
        view.timeline.push({ type: event.type, at: event.data.at, by: event.data.by, reason: event.data.reason });
        break;
      case 'CaseResumed':
      case 'CaseReopened':
        view.status = 'open';
        view.timeline.push({ type: event.type, at: event.data.at, by: event.data.by });
        break;
      case 'CaseOpened':
        break;
    }
  }
  // Provision statuses are computed last: they depend on the whole trail and on `at`.
  const given = rest.filter((e): e is ConsentGiven => e.type === 'ConsentGiven');
  view.consents = view.consents.map((consent) => {
    const record = { consentId: consent.consentId, provisions: given.find((g) => g.data.consentId === consent.consentId)!.data.provisions, withdrawals: withdrawals[consent.consentId]! };
    return { ...consent, provisions: record.provisions.map((p) => ({ ...p, ...provisionStatus(record, p, at) })) };
  });
  return view;
}

function provisionStatus(record: { consentId: string; provisions: readonly ConsentProvision[]; withdrawals: Record<string, string> }, provision: ConsentProvision, at: string) {
  const withdrawnAt = record.withdrawals[provision.provisionId];
  if (withdrawnAt !== undefined) return { status: 'withdrawn' as const, withdrawnAt };
  if (isLive(record, provision, at)) return { status: 'live' as const };
  return { status: Date.parse(at) < Date.parse(provision.validFrom) ? ('not_yet_valid' as const) : ('expired' as const) };
}
