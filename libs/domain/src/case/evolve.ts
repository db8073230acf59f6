import type { CaseEvent } from '../events.js';
import {
  type CaseState,
  type ConsentState,
  type DeterminationState,
  type ExistingCase,
  type ReferralStatus,
  REFERRAL_STATUS_AFTER,
  isOpenReferral,
} from './state.js';

type EventOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;
/** How each event of a group changes an existing case; the groups together must cover every event but CaseOpened. */
type Evolvers<T extends CaseEvent['type']> = { readonly [K in T]: (state: ExistingCase, event: EventOf<K>) => ExistingCase };

const consent: Evolvers<'ConsentGiven' | 'ConsentWithdrawn'> = {
  ConsentGiven: (state, { data }) => {
    const { consentId, provisions, grantor, childAssent } = data;
    const given: ConsentState = {
      consentId,
      provisions,
      grantor,
      ...(childAssent !== undefined ? { childAssent } : {}),
      withdrawals: {},
      given: data,
    };
    return { ...state, consents: { ...state.consents, [consentId]: given } };
  },
  ConsentWithdrawn: (state, { data }) => {
    const current = state.consents[data.consentId]!;
    const withdrawals = { ...current.withdrawals };
    for (const id of data.provisionIds) withdrawals[id] = data.withdrawnAt;
    return { ...state, consents: { ...state.consents, [current.consentId]: { ...current, withdrawals } } };
  },
};

/** A referral answered for good no longer waits for the case to resume. */
const answered = (state: ExistingCase, { type, data }: EventOf<keyof typeof REFERRAL_STATUS_AFTER>): ExistingCase => {
  const status = REFERRAL_STATUS_AFTER[type];
  return withReferral(state, data.referralId, { status, ...(isOpenReferral(status) ? {} : { onHoldSince: undefined }) });
};

const referrals: Evolvers<'ReferralRequested' | 'ReferralPutOnHold' | 'ReferralResumed' | keyof typeof REFERRAL_STATUS_AFTER> = {
  ReferralRequested: (state, { data }) => ({
    ...state,
    referrals: { ...state.referrals, [data.referralId]: { referral: data, status: 'requested', respondBy: data.respondBy } },
  }),
  ReferralPutOnHold: (state, { data }) => withReferral(state, data.referralId, { onHoldSince: data.at }),
  ReferralResumed: (state, { data }) => withReferral(state, data.referralId, { onHoldSince: undefined, respondBy: data.respondBy }),
  ReferralAcknowledged: answered,
  ReferralAccepted: answered,
  ReferralDeclined: answered,
  ReferralCompleted: answered,
  ReferralWithdrawn: answered,
};

const casePath: Evolvers<'ScreeningRecorded' | 'IdentificationRecorded' | 'IntakeRecorded' | 'CasePlanRecorded' | 'SafetyAssessed'> = {
  ScreeningRecorded: (state, { data }) => ({ ...state, screening: data.outcome, indicators: [...state.indicators, ...data.indicators] }),
  IdentificationRecorded: (state, { data }) => ({ ...state, identification: data.outcome }),
  IntakeRecorded: (state, { data }) => ({ ...state, caseworkerId: data.caseworkerId }),
  CasePlanRecorded: (state) => state,
  SafetyAssessed: (state) => state,
};

const caseStatus: Evolvers<'CaseInterrupted' | 'CaseResumed' | 'CaseReopened' | 'CaseClosed'> = {
  CaseInterrupted: (state) => ({ ...state, status: 'paused' }),
  CaseResumed: (state) => ({ ...state, status: 'open' }),
  CaseReopened: (state) => ({ ...state, status: 'open' }),
  CaseClosed: (state, { data }) => ({ ...state, status: 'closed', closedAt: data.at }),
};

const erasure: Evolvers<'ErasureRequested' | 'ErasureRequestRejected' | 'CaseErased'> = {
  ErasureRequested: (state, { data }) => ({
    ...state,
    erasureRequest: { requestId: data.requestId, requestedBy: data.by, reason: data.reason },
  }),
  ErasureRequestRejected: (state) => {
    const { erasureRequest: _rejected, ...rest } = state;
    return rest;
  },
  CaseErased: (state) => {
    const { erasureRequest: _done, ...rest } = state;
    return { ...rest, erased: true };
  },
};

const bestInterests: Evolvers<'BestInterestsDeterminationProposed' | 'BestInterestsDetermined' | 'BestInterestsDeterminationRejected'> = {
  BestInterestsDeterminationProposed: (state, { data }) => ({
    ...state,
    determinations: { ...state.determinations, [data.determinationId]: { proposal: data, status: 'proposed' } },
  }),
  BestInterestsDetermined: (state, { data }) => withDetermination(state, data.determinationId, { status: 'approved', approval: data }),
  BestInterestsDeterminationRejected: (state, { data }) => withDetermination(state, data.determinationId, { status: 'rejected' }),
};

const safetyFlags: Evolvers<'SafetyFlagRaised' | 'SafetyFlagLifted'> = {
  SafetyFlagRaised: (state, { data }) => ({ ...state, safetyFlags: [...state.safetyFlags, data.flag] }),
  SafetyFlagLifted: (state, { data }) => ({ ...state, safetyFlags: state.safetyFlags.filter((flag) => flag !== data.flag) }),
};

const EVOLVERS: Evolvers<Exclude<CaseEvent['type'], 'CaseOpened'>> = {
  ...consent,
  ...referrals,
  ...casePath,
  ...caseStatus,
  ...erasure,
  ...bestInterests,
  ...safetyFlags,
};

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'CaseOpened') {
    const { caseId, owningAgencyId, ageGroup, indicators } = event.data;
    return {
      status: 'open',
      caseId,
      owningAgencyId,
      ageGroup,
      indicators,
      consents: {},
      referrals: {},
      determinations: {},
      safetyFlags: [],
      erased: false,
    };
  }
  if (state.status === 'none') return state; // events of another stream shape never reach here
  // TypeScript cannot pair the looked-up evolver with the event's own type: the map's type does.
  const evolveExisting = EVOLVERS[event.type] as (state: ExistingCase, event: CaseEvent) => ExistingCase;
  return evolveExisting(state, event);
}

function withDetermination(state: ExistingCase, determinationId: string, change: Omit<DeterminationState, 'proposal'>): ExistingCase {
  const current = state.determinations[determinationId]!;
  return { ...state, determinations: { ...state.determinations, [determinationId]: { ...current, ...change } } };
}

/** `onHoldSince: undefined` releases the hold. */
function withReferral(
  state: ExistingCase,
  referralId: string,
  change: { status?: ReferralStatus; respondBy?: string; onHoldSince?: string | undefined },
): ExistingCase {
  const { onHoldSince, ...rest } = { ...state.referrals[referralId]!, ...change };
  return { ...state, referrals: { ...state.referrals, [referralId]: { ...rest, ...(onHoldSince ? { onHoldSince } : {}) } } };
}
