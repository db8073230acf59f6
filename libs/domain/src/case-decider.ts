import { permits, type ConsentRecord, type DataCategory } from '../../consent-policy/index.js';
import type {
  AcknowledgeReferral, AcceptReferral, Actor, CaseCommand, CloseCase, CompleteReferral, DeclineReferral, GiveConsent,
  InterruptCase, OpenCase, ReopenCase, RequestReferral, ResumeCase, WithdrawConsent, WithdrawReferral,
} from './commands.js';
import type { AgeGroup, CaseEvent, ConsentGiven, LegalBasis, ReferralRequested, ReferralWithdrawn, Urgency } from './events.js';
import { isIndicatorCode } from './indicators.js';
import { reject } from './rejection.js';

export type CaseStatus = 'open' | 'paused' | 'closed';
export type ReferralStatus = 'requested' | 'acknowledged' | 'accepted' | 'declined' | 'completed' | 'withdrawn';

export interface ReferralState {
  readonly referral: ReferralRequested['data'];
  readonly status: ReferralStatus;
}

export interface ConsentState extends ConsentRecord {
  readonly given: ConsentGiven['data'];
}

export type CaseState =
  | { readonly status: 'none' }
  | {
      readonly status: CaseStatus;
      readonly caseId: string;
      readonly owningAgencyId: string;
      readonly ageGroup: AgeGroup;
      readonly consents: Readonly<Record<string, ConsentState>>;
      readonly referrals: Readonly<Record<string, ReferralState>>;
    };
export type ExistingCase = Exclude<CaseState, { status: 'none' }>;

export const initialState = (): CaseState => ({ status: 'none' });

/** The status a referral has after each of its response or withdrawal events. */
export const REFERRAL_STATUS_AFTER = {
  ReferralAcknowledged: 'acknowledged',
  ReferralAccepted: 'accepted',
  ReferralDeclined: 'declined',
  ReferralCompleted: 'completed',
  ReferralWithdrawn: 'withdrawn',
} as const satisfies Record<string, ReferralStatus>;

const OPEN_REFERRAL: readonly ReferralStatus[] = ['requested', 'acknowledged', 'accepted'];
export const isOpenReferral = (status: ReferralStatus): boolean => OPEN_REFERRAL.includes(status);

/** Children, those who say they are and those who may be are treated as children (DOMAIN.md). */
export const treatedAsChild = (ageGroup: AgeGroup): boolean => ageGroup !== 'adult';

/** Response deadlines by urgency, in hours. */
export const RESPONSE_HOURS: Readonly<Record<Urgency, number>> = { immediate: 24, high: 72, normal: 168 };

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'CaseOpened') {
    const { caseId, owningAgencyId, ageGroup } = event.data;
    return { status: 'open', caseId, owningAgencyId, ageGroup, consents: {}, referrals: {} };
  }
  if (state.status === 'none') return state; // events of another stream shape never reach here
  switch (event.type) {
    case 'ConsentGiven': {
      const { consentId, provisions } = event.data;
      return { ...state, consents: { ...state.consents, [consentId]: { consentId, provisions, withdrawals: {}, given: event.data } } };
    }
    case 'ConsentWithdrawn': {
      const consent = state.consents[event.data.consentId]!;
      const withdrawals = { ...consent.withdrawals };
      for (const id of event.data.provisionIds) withdrawals[id] = event.data.withdrawnAt;
      return { ...state, consents: { ...state.consents, [consent.consentId]: { ...consent, withdrawals } } };
    }
    case 'ReferralRequested':
      return { ...state, referrals: { ...state.referrals, [event.data.referralId]: { referral: event.data, status: 'requested' } } };
    case 'ReferralAcknowledged':
    case 'ReferralAccepted':
    case 'ReferralDeclined':
    case 'ReferralCompleted':
    case 'ReferralWithdrawn':
      return withReferralStatus(state, event.data.referralId, REFERRAL_STATUS_AFTER[event.type]);
    case 'CaseInterrupted':
      return { ...state, status: 'paused' };
    case 'CaseResumed':
    case 'CaseReopened':
      return { ...state, status: 'open' };
    case 'CaseClosed':
      return { ...state, status: 'closed' };
  }
}

function withReferralStatus(state: ExistingCase, referralId: string, status: ReferralStatus): ExistingCase {
  const current = state.referrals[referralId]!;
  return { ...state, referrals: { ...state.referrals, [referralId]: { ...current, status } } };
}

export function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  if (command.type === 'OpenCase') return openCase(command, state);
  if (state.status === 'none') return reject('not_found', 'case not found');
  switch (command.type) {
    case 'GiveConsent':
      return giveConsent(command, state);
    case 'WithdrawConsent':
      return withdrawConsent(command, state);
    case 'RequestReferral':
      return requestReferral(command, state);
    case 'AcknowledgeReferral':
    case 'AcceptReferral':
    case 'DeclineReferral':
    case 'CompleteReferral':
      return respondToReferral(command, state);
    case 'WithdrawReferral':
      return withdrawReferral(command, state);
    case 'InterruptCase':
    case 'ResumeCase':
    case 'CloseCase':
    case 'ReopenCase':
      return changeCaseStatus(command, state);
  }
}

function openCase(command: OpenCase, state: CaseState): CaseEvent[] {
  if (state.status !== 'none') reject('conflict', 'case already exists');
  const unknown = command.indicators.filter((code) => !isIndicatorCode(code));
  if (unknown.length > 0) reject('invalid', `unknown indicator codes: ${unknown.join(', ')}`);
  if (new Set(command.indicators).size !== command.indicators.length) reject('invalid', 'indicator codes are repeated');
  return [
    {
      type: 'CaseOpened',
      data: {
        caseId: command.caseId,
        owningAgencyId: command.actor.agencyId,
        openedBy: command.actor.userId,
        openedAt: command.at,
        source: command.source,
        indicators: command.indicators,
        ageGroup: command.ageGroup,
        personalData: command.personalData,
      },
    },
  ];
}

function giveConsent(command: GiveConsent, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'record consent');
  requireStatus(state, ['open', 'paused'], 'record consent');
  if (state.consents[command.consentId]) reject('conflict', `consent ${command.consentId} already recorded`);
  if (command.provisions.length === 0) reject('invalid', 'a consent needs at least one provision');
  const knownProvisionIds = new Set(Object.values(state.consents).flatMap((c) => c.provisions.map((p) => p.provisionId)));
  for (const provision of command.provisions) {
    if (knownProvisionIds.has(provision.provisionId)) reject('invalid', `provision ${provision.provisionId} is repeated`);
    knownProvisionIds.add(provision.provisionId);
    if (provision.categories.length === 0) reject('invalid', `provision ${provision.provisionId} names no data category`);
    if (new Set(provision.categories).size !== provision.categories.length) reject('invalid', `provision ${provision.provisionId} repeats a category`);
    if (provision.purpose === 'service_provision' && provision.serviceTypes.length === 0) {
      reject('invalid', `provision ${provision.provisionId}: service_provision needs the service types agreed to`);
    }
    if (provision.purpose !== 'service_provision' && provision.serviceTypes.length > 0) {
      reject('invalid', `provision ${provision.provisionId}: service types belong to service_provision only`);
    }
    if (provision.validUntil !== undefined && Date.parse(provision.validUntil) <= Date.parse(provision.validFrom)) {
      reject('invalid', `provision ${provision.provisionId} ends before it starts`);
    }
    if (provision.purpose === 'law_enforcement_report') {
      if (command.actor.agencyKind === 'red_cross_red_crescent') {
        reject('forbidden', 'Red Cross and Red Crescent members do not take part in judicial cooperation');
      }
      if (treatedAsChild(state.ageGroup)) {
        reject('invalid', 'sharing a child\'s data with law enforcement needs a best-interests determination, not consent alone');
      }
    }
  }
  if (treatedAsChild(state.ageGroup) && (command.grantor !== 'guardian' || command.childAssent === undefined)) {
    reject('invalid', 'for a child, record a guardian\'s consent and whether the child assented');
  }
  const { type: _type, actor, at, ...given } = command;
  return [{ type: 'ConsentGiven', data: { ...given, recordedBy: actor.userId, givenAt: at } }];
}

function withdrawConsent(command: WithdrawConsent, state: ExistingCase): CaseEvent[] {
  // Withdrawal is always possible, whatever the case's status: the person can change their mind.
  requireOwner(state, command.actor, 'withdraw consent');
  const consent = state.consents[command.consentId] ?? reject('not_found', `consent ${command.consentId} not found`);
  const whole = command.provisionIds === undefined;
  const ids = command.provisionIds ?? consent.provisions.map((p) => p.provisionId).filter((id) => !(id in consent.withdrawals));
  for (const id of ids) {
    if (!consent.provisions.some((p) => p.provisionId === id)) reject('not_found', `provision ${id} is not part of consent ${command.consentId}`);
    if (id in consent.withdrawals) reject('conflict', `provision ${id} is already withdrawn`);
  }
  if (ids.length === 0) reject('conflict', `consent ${command.consentId} is already withdrawn`);

  const withdrawal: CaseEvent = {
    type: 'ConsentWithdrawn',
    data: { consentId: command.consentId, provisionIds: ids, whole, recordedBy: command.actor.userId, withdrawnAt: command.at },
  };
  // Every open referral that no live consent covers any more is withdrawn in the same decision.
  const after = evolve(state, withdrawal) as ExistingCase;
  const orphaned = Object.values(after.referrals).filter(
    ({ referral, status }) => isOpenReferral(status) && uncovered(after, referral, command.at).length > 0,
  );
  return [withdrawal, ...orphaned.map(({ referral }) => referralWithdrawn(referral.referralId, 'consent_withdrawn', command))];
}

function requestReferral(command: RequestReferral, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'refer');
  requireStatus(state, ['open'], 'refer');
  if (state.referrals[command.referralId]) reject('conflict', `referral ${command.referralId} already exists`);
  if (command.recipient.agencyId === state.owningAgencyId) reject('invalid', 'a referral goes to another agency');
  if (command.sharedCategories.length === 0) reject('invalid', 'a referral shares at least one data category');
  if (new Set(command.sharedCategories).size !== command.sharedCategories.length) reject('invalid', 'shared categories are repeated');
  if (command.purpose === 'service_provision' && !command.serviceType) reject('invalid', 'service_provision needs a service type');
  if (command.purpose !== 'service_provision' && command.serviceType) reject('invalid', 'a service type belongs to service_provision only');
  if (command.purpose === 'law_enforcement_report') {
    if (command.actor.agencyKind === 'red_cross_red_crescent' || command.recipient.agencyKind === 'red_cross_red_crescent') {
      reject('forbidden', 'Red Cross and Red Crescent members do not take part in judicial cooperation');
    }
  }

  const request = {
    recipient: command.recipient,
    purpose: command.purpose,
    ...(command.serviceType ? { serviceType: command.serviceType } : {}),
  };
  const legalBasis: LegalBasis[] = [];
  const missing: DataCategory[] = [];
  for (const category of command.sharedCategories) {
    const decision = permits(Object.values(state.consents), { ...request, category, at: command.at });
    if (decision.permitted) legalBasis.push({ ...decision.basis, category });
    else missing.push(category);
  }
  if (missing.length > 0) {
    reject('consent_required', `no live consent covers sharing ${missing.join(', ')} with this agency for ${command.purpose}${command.serviceType ? ` (${command.serviceType})` : ''}`);
  }
  return [
    {
      type: 'ReferralRequested',
      data: {
        referralId: command.referralId,
        fromAgencyId: state.owningAgencyId,
        toAgencyId: command.recipient.agencyId,
        toAgencyKind: command.recipient.agencyKind,
        purpose: command.purpose,
        ...(command.serviceType ? { serviceType: command.serviceType } : {}),
        urgency: command.urgency,
        sharedCategories: command.sharedCategories,
        legalBasis,
        ...(command.note ? { note: command.note } : {}),
        requestedBy: command.actor.userId,
        requestedAt: command.at,
        respondBy: new Date(Date.parse(command.at) + RESPONSE_HOURS[command.urgency] * 3_600_000).toISOString(),
      },
    },
  ];
}

type Response = AcknowledgeReferral | AcceptReferral | DeclineReferral | CompleteReferral;

/** Which statuses each response may follow. */
const RESPONSE_FROM: Readonly<Record<Response['type'], readonly ReferralStatus[]>> = {
  AcknowledgeReferral: ['requested'],
  AcceptReferral: ['requested', 'acknowledged'],
  DeclineReferral: ['requested', 'acknowledged'],
  CompleteReferral: ['accepted'],
};

function respondToReferral(command: Response, state: ExistingCase): CaseEvent[] {
  const current = state.referrals[command.referralId];
  if (!current || current.referral.toAgencyId !== command.actor.agencyId) {
    if (current && command.actor.agencyId === state.owningAgencyId) reject('forbidden', 'only the receiving agency responds to a referral');
    reject('not_found', `referral ${command.referralId} not found`);
  }
  const { status } = current;
  if (!RESPONSE_FROM[command.type].includes(status)) reject('conflict', `referral is ${status}; cannot ${verb(command.type)} it`);
  const step = { referralId: command.referralId, by: command.actor.userId, at: command.at };
  switch (command.type) {
    case 'AcknowledgeReferral':
      return [{ type: 'ReferralAcknowledged', data: step }];
    case 'AcceptReferral':
      return [{ type: 'ReferralAccepted', data: step }];
    case 'DeclineReferral':
      return [{ type: 'ReferralDeclined', data: { ...step, reason: command.reason, ...(command.note ? { note: command.note } : {}) } }];
    case 'CompleteReferral':
      return [{ type: 'ReferralCompleted', data: { ...step, outcome: command.outcome } }];
  }
}

const verb = (type: Response['type']): string => type.replace('Referral', '').toLowerCase();

function withdrawReferral(command: WithdrawReferral, state: ExistingCase): CaseEvent[] {
  const current = state.referrals[command.referralId];
  if (current && current.referral.toAgencyId === command.actor.agencyId) reject('forbidden', 'only the referring agency withdraws a referral; decline it instead');
  requireOwner(state, command.actor, 'withdraw a referral');
  if (!current) return reject('not_found', `referral ${command.referralId} not found`);
  if (!isOpenReferral(current.status)) reject('conflict', `referral is ${current.status}; only an open referral can be withdrawn`);
  return [referralWithdrawn(command.referralId, 'sender', command)];
}

type StatusChange = InterruptCase | ResumeCase | CloseCase | ReopenCase;

const STATUS_FROM: Readonly<Record<StatusChange['type'], readonly CaseStatus[]>> = {
  InterruptCase: ['open'],
  ResumeCase: ['paused'],
  CloseCase: ['open', 'paused'],
  ReopenCase: ['closed'],
};

function changeCaseStatus(command: StatusChange, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'change the case status');
  if (!STATUS_FROM[command.type].includes(state.status)) {
    reject('conflict', `case is ${state.status}; cannot ${command.type.replace('Case', '').toLowerCase()} it`);
  }
  const step = { by: command.actor.userId, at: command.at };
  switch (command.type) {
    case 'InterruptCase':
      // Open referrals stay as they are: a paused case is open but static, not abandoned.
      return [{ type: 'CaseInterrupted', data: { ...step, reason: command.reason, ...(command.note ? { note: command.note } : {}) } }];
    case 'ResumeCase':
      return [{ type: 'CaseResumed', data: step }];
    case 'CloseCase': {
      const open = Object.values(state.referrals).filter(({ status }) => isOpenReferral(status));
      return [
        { type: 'CaseClosed', data: { ...step, reason: command.reason } },
        ...open.map(({ referral }) => referralWithdrawn(referral.referralId, 'case_closed', command)),
      ];
    }
    case 'ReopenCase':
      return [{ type: 'CaseReopened', data: step }];
  }
}

/** The categories of a referral that no live consent covers at `at`. */
export function uncovered(state: ExistingCase, referral: ReferralRequested['data'], at: string): DataCategory[] {
  const consents = Object.values(state.consents);
  return referral.sharedCategories.filter(
    (category) =>
      !permits(consents, {
        recipient: { agencyId: referral.toAgencyId, agencyKind: referral.toAgencyKind },
        purpose: referral.purpose,
        ...(referral.serviceType ? { serviceType: referral.serviceType } : {}),
        category,
        at,
      }).permitted,
  );
}

function referralWithdrawn(referralId: string, cause: ReferralWithdrawn['data']['cause'], command: { actor: Actor; at: string }): CaseEvent {
  return { type: 'ReferralWithdrawn', data: { referralId, cause, by: command.actor.userId, at: command.at } };
}

function requireOwner(state: ExistingCase, actor: Actor, action: string): void {
  if (actor.agencyId === state.owningAgencyId) return;
  const receives = Object.values(state.referrals).some(({ referral }) => referral.toAgencyId === actor.agencyId);
  if (receives) reject('forbidden', `only the owning agency may ${action}`);
  reject('not_found', 'case not found');
}

function requireStatus(state: ExistingCase, allowed: readonly CaseStatus[], action: string): void {
  if (!allowed.includes(state.status)) reject('conflict', `case is ${state.status}; cannot ${action}`);
}

export const caseDecider = { decide, evolve, initialState };
