import type { ConsentProvision, DisclosureGrant, SafetyFlag } from '../../libs/consent-policy/index.js';
import type {
  AgeGroup,
  CaseEvent,
  ConsentGiven,
  IdentificationOutcome,
  ReferralRequested,
  RiskLevel,
  ScreeningOutcome,
  Sealed,
} from '../../libs/domain/index.js';
import { REFERRAL_STATUS_AFTER, type ReferralStatus, isOpenReferral } from '../../libs/domain/index.js';

export type RecordedProvision = ConsentProvision & { withdrawnAt?: string };

/**
 * Everything the owning agency knows of its case, folded event by event (`evolveCaseRecord`), with
 * personal data still sealed. What depends on the time of reading (whether a provision is live)
 * is added by `caseViewAt`, so a stored record never goes stale by itself.
 */
export interface CaseRecord {
  caseId: string;
  revision: number;
  status: 'open' | 'paused' | 'closed';
  owningAgencyId: string;
  openedAt: string;
  openedBy: string;
  source: string;
  indicators: readonly string[];
  ageGroup: AgeGroup;
  /** Sealed by category here; the service decrypts for the owning agency only. */
  personalData: Record<string, Sealed>;
  consents: Array<Omit<ConsentGiven['data'], 'provisions'> & { provisions: RecordedProvision[] }>;
  referrals: Array<
    Omit<ReferralRequested['data'], 'note'> & {
      status: ReferralStatus;
      note?: Sealed;
      declineReason?: string;
      declineNote?: Sealed;
      outcome?: Sealed;
      withdrawalCause?: string;
      /** What the in-depth interview this referral asked for found, as the receiving agency recorded it. */
      identification?: IdentificationOutcome;
      updatedAt: string;
      /** Since when it waits for the paused case; respondBy then moves when the case resumes. */
      onHoldSince?: string;
    }
  >;
  /** The case path (seed 002, section 3): where the case stands, without content. */
  path: {
    screening?: { outcome: ScreeningOutcome; at: string; by: string };
    identification?: { outcome: IdentificationOutcome; at: string; by: string; agencyId: string; referralId?: string };
    intake?: { caseworkerId: string; at: string; by: string };
    casePlan?: { servicesNeeded: readonly string[]; plan: Sealed; at: string; by: string };
    /** The plan itself is sealed as personal data of the `safety` category. */
    safetyAssessment?: { riskLevel: RiskLevel; at: string; by: string };
  };
  timeline: Array<{ type: CaseEvent['type']; at: string; by: string; reason?: string; note?: Sealed }>;
  /** Raised safety flags: the owner sees them; other agencies only see that something is withheld. */
  safetyFlags: SafetyFlag[];
  determinations: Array<{
    determinationId: string;
    scope: readonly DisclosureGrant[];
    reasons: Sealed;
    decidedBy: string;
    proposedAt: string;
    status: 'proposed' | 'approved' | 'rejected';
    reviewedBy?: string;
    reviewedAt?: string;
  }>;
  /** The erasure asked for (no personal data): it waits for a second person, who erases the case or rejects the request. */
  erasureRequest?: { requestId: string; requestedBy: string; requestedAt: string };
  /** Erased: the data key is destroyed and the record keeps no sealed value at all. */
  erased?: boolean;
  /** When the last event happened. */
  updatedAt: string;
}

/** Timeline steps whose `reason` describes the person (an outcome, a risk level, a flag), dropped on erasure. */
const ABOUT_THE_PERSON = new Set<string>([
  'ScreeningRecorded',
  'IdentificationRecorded',
  'SafetyAssessed',
  'SafetyFlagRaised',
  'SafetyFlagLifted',
]);

/** The next record after `event`; undefined until the case is opened. Pure: returns a new record. */
export function evolveCaseRecord(current: CaseRecord | undefined, event: CaseEvent): CaseRecord | undefined {
  if (event.type === 'CaseOpened') {
    const { caseId, owningAgencyId, openedAt, openedBy, source, indicators, ageGroup, personalData } = event.data;
    return {
      caseId,
      revision: 0,
      status: 'open',
      owningAgencyId,
      openedAt,
      openedBy,
      source,
      indicators,
      ageGroup,
      personalData: { ...personalData },
      consents: [],
      referrals: [],
      path: {},
      timeline: [{ type: 'CaseOpened', at: openedAt, by: openedBy }],
      safetyFlags: [],
      determinations: [],
      updatedAt: openedAt,
    };
  }
  if (!current) return undefined;
  const view: CaseRecord = { ...current, revision: current.revision + 1, updatedAt: occurredAt(event) };
  switch (event.type) {
    case 'ConsentGiven':
      view.consents = [...view.consents, { ...event.data, provisions: event.data.provisions.map((p) => ({ ...p })) }];
      break;
    case 'ConsentWithdrawn': {
      const withdrawn = new Set(event.data.provisionIds);
      view.consents = view.consents.map((c) =>
        c.consentId !== event.data.consentId
          ? c
          : {
              ...c,
              provisions: c.provisions.map((p) => (withdrawn.has(p.provisionId) ? { ...p, withdrawnAt: event.data.withdrawnAt } : p)),
            },
      );
      break;
    }
    case 'ReferralRequested':
      view.referrals = [...view.referrals, { ...event.data, status: 'requested', updatedAt: event.data.requestedAt }];
      break;
    case 'ReferralAcknowledged':
    case 'ReferralAccepted':
    case 'ReferralDeclined':
    case 'ReferralCompleted':
    case 'ReferralWithdrawn':
      view.referrals = view.referrals.map(({ onHoldSince, ...r }) =>
        r.referralId !== event.data.referralId
          ? { ...r, ...(onHoldSince ? { onHoldSince } : {}) }
          : {
              ...r,
              // A referral answered for good no longer waits for anything.
              ...(onHoldSince && isOpenReferral(REFERRAL_STATUS_AFTER[event.type]) ? { onHoldSince } : {}),
              status: REFERRAL_STATUS_AFTER[event.type],
              updatedAt: event.data.at,
              ...(event.type === 'ReferralDeclined'
                ? { declineReason: event.data.reason, ...(event.data.note ? { declineNote: event.data.note } : {}) }
                : {}),
              ...(event.type === 'ReferralCompleted' ? { outcome: event.data.outcome } : {}),
              ...(event.type === 'ReferralWithdrawn' ? { withdrawalCause: event.data.cause } : {}),
            },
      );
      break;
    case 'ReferralPutOnHold':
    case 'ReferralResumed':
      view.referrals = view.referrals.map((r) => {
        if (r.referralId !== event.data.referralId) return r;
        if (event.type === 'ReferralPutOnHold') return { ...r, onHoldSince: event.data.at, updatedAt: event.data.at };
        const { onHoldSince: _released, ...rest } = r;
        return { ...rest, respondBy: event.data.respondBy, updatedAt: event.data.at };
      });
      break;
    case 'ScreeningRecorded':
      view.indicators = [...view.indicators, ...event.data.indicators];
      view.path = { ...view.path, screening: { outcome: event.data.outcome, at: event.data.at, by: event.data.by } };
      view.timeline = [...view.timeline, { type: event.type, at: event.data.at, by: event.data.by, reason: event.data.outcome }];
      break;
    case 'IdentificationRecorded': {
      const { outcome, at, by, agencyId, referralId } = event.data;
      view.path = { ...view.path, identification: { outcome, at, by, agencyId, ...(referralId ? { referralId } : {}) } };
      // The interviewing agency sees its own finding on its referral; the path's step is the owner's.
      if (referralId)
        view.referrals = view.referrals.map((r) => (r.referralId === referralId ? { ...r, identification: outcome, updatedAt: at } : r));
      view.timeline = [...view.timeline, { type: event.type, at, by, reason: outcome }];
      break;
    }
    case 'IntakeRecorded':
      view.path = { ...view.path, intake: { caseworkerId: event.data.caseworkerId, at: event.data.at, by: event.data.by } };
      view.timeline = [...view.timeline, { type: event.type, at: event.data.at, by: event.data.by }];
      break;
    case 'CasePlanRecorded': {
      const { servicesNeeded, plan, at, by } = event.data;
      view.path = { ...view.path, casePlan: { servicesNeeded, plan, at, by } };
      view.timeline = [...view.timeline, { type: event.type, at, by }];
      break;
    }
    case 'SafetyAssessed':
      view.path = { ...view.path, safetyAssessment: { riskLevel: event.data.riskLevel, at: event.data.at, by: event.data.by } };
      view.personalData = { ...view.personalData, safety: event.data.plan };
      view.timeline = [...view.timeline, { type: event.type, at: event.data.at, by: event.data.by, reason: event.data.riskLevel }];
      break;
    case 'CaseInterrupted': {
      const { at, by, reason, note } = event.data;
      view.status = 'paused';
      view.timeline = [...view.timeline, { type: event.type, at, by, reason, ...(note ? { note } : {}) }];
      break;
    }
    case 'CaseClosed':
      view.status = 'closed';
      view.timeline = [...view.timeline, { type: event.type, at: event.data.at, by: event.data.by, reason: event.data.reason }];
      break;
    case 'CaseResumed':
    case 'CaseReopened':
      view.status = 'open';
      view.timeline = [...view.timeline, { type: event.type, at: event.data.at, by: event.data.by }];
      break;
    case 'SafetyFlagRaised':
      view.safetyFlags = [...view.safetyFlags, event.data.flag];
      view.timeline = [...view.timeline, { type: event.type, at: event.data.at, by: event.data.by, reason: event.data.flag }];
      break;
    case 'SafetyFlagLifted':
      view.safetyFlags = view.safetyFlags.filter((f) => f !== event.data.flag);
      view.timeline = [...view.timeline, { type: event.type, at: event.data.at, by: event.data.by, reason: event.data.flag }];
      break;
    case 'BestInterestsDeterminationProposed': {
      const { determinationId, scope, reasons, by, at } = event.data;
      view.determinations = [
        ...view.determinations,
        { determinationId, scope, reasons, decidedBy: by, proposedAt: at, status: 'proposed' },
      ];
      break;
    }
    case 'BestInterestsDetermined':
    case 'BestInterestsDeterminationRejected':
      view.determinations = view.determinations.map((d) =>
        d.determinationId !== event.data.determinationId
          ? d
          : {
              ...d,
              status: event.type === 'BestInterestsDetermined' ? 'approved' : 'rejected',
              reviewedBy: event.data.by,
              reviewedAt: event.data.at,
            },
      );
      break;
    case 'ErasureRequested':
      view.erasureRequest = { requestId: event.data.requestId, requestedBy: event.data.by, requestedAt: event.data.at };
      view.timeline = [...view.timeline, { type: event.type, at: event.data.at, by: event.data.by, reason: event.data.reason }];
      break;
    case 'ErasureRequestRejected':
      delete view.erasureRequest;
      view.timeline = [...view.timeline, { type: event.type, at: event.data.at, by: event.data.by }];
      break;
    case 'CaseErased':
      // The key is gone; the read models drop even the ciphertext.
      view.erased = true;
      view.personalData = {};
      // Indicators and safety flags describe what happened to the person: they go with the data.
      view.indicators = [];
      view.safetyFlags = [];
      view.referrals = view.referrals.map(({ note: _n, declineNote: _d, outcome: _o, identification: _i, ...r }) => r);
      // Outcomes, risk levels, flag names and what the path learnt say what happened to the person: only that the steps happened stays.
      view.timeline = [
        ...view.timeline.map(({ note: _n, reason, ...t }) => (ABOUT_THE_PERSON.has(t.type) || reason === undefined ? t : { ...t, reason })),
        { type: event.type, at: event.data.at, by: event.data.by, reason: event.data.reason },
      ];
      view.determinations = view.determinations.map((d) => ({ ...d, reasons: {} }));
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- views stored before the case path existed have none
      view.path = Object.fromEntries(Object.entries(view.path ?? {}).map(([step, { at, by }]) => [step, { at, by }]));
      break;
    default:
      break;
  }
  return view;
}

/** When an event happened, as its decider stamped it (every event carries its own instant). */
function occurredAt(event: CaseEvent): string {
  const data = event.data as Record<string, unknown>;
  const at = data.at ?? data.givenAt ?? data.withdrawnAt ?? data.requestedAt ?? data.openedAt;
  return typeof at === 'string' ? at : '';
}
