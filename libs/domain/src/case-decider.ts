import {
  isJudicialAgency, isOneOf, permits, SAFETY_FLAGS, type ConsentRecord, type ConsentSubject, type DataCategory, type DisclosureGrant, type SafetyFlag,
} from '../../consent-policy/index.js';
import { instantOrNaN as instant, parseInstant } from '../../time/index.js';
import type {
  AcknowledgeReferral, AcceptReferral, Actor, ApproveBestInterestsDetermination, AssessSafety, CaseCommand, CloseCase, CompleteReferral,
  DeclineReferral, GiveConsent, InterruptCase, LiftSafetyFlag, OpenCase, ProposeBestInterestsDetermination, RaiseSafetyFlag,
  RecordCasePlan, RecordIdentification, RecordIntake, RecordScreening, RejectBestInterestsDetermination, ReopenCase, RequestReferral,
  ResumeCase, WithdrawConsent, WithdrawReferral, ApproveErasure, EraseForRetention, ExpireLapsedConsent, RequestErasure,
} from './commands.js';
import type {
  AgeGroup, BestInterestsDeterminationProposed, BestInterestsDetermined, CaseEvent, ConsentGiven, IdentificationOutcome, LegalBasis,
  ReferralRequested, ReferralWithdrawalCause, ScreeningOutcome, Urgency,
} from './events.js';
import { type IndicatorCode, isIndicatorCode } from './indicators.js';
import { reject } from './rejection.js';
import { isUnavailable } from './service-match.js';

export type CaseStatus = 'open' | 'paused' | 'closed';
export type ReferralStatus = 'requested' | 'acknowledged' | 'accepted' | 'declined' | 'completed' | 'withdrawn';

export interface ReferralState {
  readonly referral: ReferralRequested['data'];
  readonly status: ReferralStatus;
  /** The deadline now in force: a hold moves it (ReferralResumed). */
  readonly respondBy: string;
  /** Since when the referral waits for the paused case. */
  readonly onHoldSince?: string;
}

export interface ConsentState extends ConsentRecord {
  readonly given: ConsentGiven['data'];
}

export type DeterminationStatus = 'proposed' | 'approved' | 'rejected';
export interface DeterminationState {
  readonly proposal: BestInterestsDeterminationProposed['data'];
  readonly status: DeterminationStatus;
  readonly approval?: BestInterestsDetermined['data'];
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
      readonly determinations: Readonly<Record<string, DeterminationState>>;
      readonly safetyFlags: readonly SafetyFlag[];
      readonly indicators: readonly IndicatorCode[];
      readonly screening?: ScreeningOutcome;
      readonly identification?: IdentificationOutcome;
      readonly caseworkerId?: string;
      /** When the case was last closed: the retention period runs from here. */
      readonly closedAt?: string;
      readonly erasureRequest?: { readonly requestId: string; readonly requestedBy: string; readonly reason: ErasureReasonOf<'ErasureRequested'> };
      readonly erased: boolean;
    };
type ErasureReasonOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>['data'] extends { reason: infer R } ? R : never;
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
/** Still awaiting the recipient's answer (accept or decline): the statuses the respond-by deadline runs for. */
export const AWAITING_ANSWER = ['requested', 'acknowledged'] as const satisfies readonly ReferralStatus[];
const isAwaitingAnswer = (status: ReferralStatus): boolean => (AWAITING_ANSWER as readonly ReferralStatus[]).includes(status);
export const isOpenReferral = (status: ReferralStatus): boolean => OPEN_REFERRAL.includes(status);

/** Children, those who say they are and those who may be are treated as children (DOMAIN.md). */
export const treatedAsChild = (ageGroup: AgeGroup): boolean => ageGroup !== 'adult';

/** Response deadlines by urgency, in hours. */
export const RESPONSE_HOURS: Readonly<Record<Urgency, number>> = { immediate: 24, high: 72, normal: 168 };

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'CaseOpened') {
    const { caseId, owningAgencyId, ageGroup, indicators } = event.data;
    return { status: 'open', caseId, owningAgencyId, ageGroup, indicators, consents: {}, referrals: {}, determinations: {}, safetyFlags: [], erased: false };
  }
  if (state.status === 'none') return state; // events of another stream shape never reach here
  switch (event.type) {
    case 'ConsentGiven': {
      const { consentId, provisions, grantor, childAssent } = event.data;
      const consent: ConsentState = { consentId, provisions, grantor, ...(childAssent !== undefined ? { childAssent } : {}), withdrawals: {}, given: event.data };
      return { ...state, consents: { ...state.consents, [consentId]: consent } };
    }
    case 'ConsentWithdrawn': {
      const consent = state.consents[event.data.consentId]!;
      const withdrawals = { ...consent.withdrawals };
      for (const id of event.data.provisionIds) withdrawals[id] = event.data.withdrawnAt;
      return { ...state, consents: { ...state.consents, [consent.consentId]: { ...consent, withdrawals } } };
    }
    case 'ReferralRequested':
      return { ...state, referrals: { ...state.referrals, [event.data.referralId]: { referral: event.data, status: 'requested', respondBy: event.data.respondBy } } };
    case 'ReferralPutOnHold':
      return withReferral(state, event.data.referralId, { onHoldSince: event.data.at });
    case 'ReferralResumed':
      return withReferral(state, event.data.referralId, { onHoldSince: undefined, respondBy: event.data.respondBy });
    case 'ScreeningRecorded':
      return { ...state, screening: event.data.outcome, indicators: [...state.indicators, ...event.data.indicators] };
    case 'IdentificationRecorded':
      return { ...state, identification: event.data.outcome };
    case 'IntakeRecorded':
      return { ...state, caseworkerId: event.data.caseworkerId };
    case 'CasePlanRecorded':
    case 'SafetyAssessed':
      return state;
    case 'ReferralAcknowledged':
    case 'ReferralAccepted':
    case 'ReferralDeclined':
    case 'ReferralCompleted':
    case 'ReferralWithdrawn':
    {
      const status = REFERRAL_STATUS_AFTER[event.type];
      // A referral answered for good no longer waits for the case to resume.
      return withReferral(state, event.data.referralId, { status, ...(isOpenReferral(status) ? {} : { onHoldSince: undefined }) });
    }
    case 'CaseInterrupted':
      return { ...state, status: 'paused' };
    case 'CaseResumed':
    case 'CaseReopened':
      return { ...state, status: 'open' };
    case 'CaseClosed':
      return { ...state, status: 'closed', closedAt: event.data.at };
    case 'ErasureRequested':
      return { ...state, erasureRequest: { requestId: event.data.requestId, requestedBy: event.data.by, reason: event.data.reason } };
    case 'CaseErased': {
      const { erasureRequest: _done, ...rest } = state;
      return { ...rest, erased: true };
    }
    case 'BestInterestsDeterminationProposed':
      return { ...state, determinations: { ...state.determinations, [event.data.determinationId]: { proposal: event.data, status: 'proposed' } } };
    case 'BestInterestsDetermined':
      return withDetermination(state, event.data.determinationId, { status: 'approved', approval: event.data });
    case 'BestInterestsDeterminationRejected':
      return withDetermination(state, event.data.determinationId, { status: 'rejected' });
    case 'SafetyFlagRaised':
      return { ...state, safetyFlags: [...state.safetyFlags, event.data.flag] };
    case 'SafetyFlagLifted':
      return { ...state, safetyFlags: state.safetyFlags.filter((flag) => flag !== event.data.flag) };
  }
}

function withDetermination(state: ExistingCase, determinationId: string, change: Omit<DeterminationState, 'proposal'>): ExistingCase {
  const current = state.determinations[determinationId]!;
  return { ...state, determinations: { ...state.determinations, [determinationId]: { ...current, ...change } } };
}

/** `onHoldSince: undefined` releases the hold. */
function withReferral(state: ExistingCase, referralId: string, change: { status?: ReferralStatus; respondBy?: string; onHoldSince?: string | undefined }): ExistingCase {
  const { onHoldSince, ...rest } = { ...state.referrals[referralId]!, ...change };
  return { ...state, referrals: { ...state.referrals, [referralId]: { ...rest, ...(onHoldSince ? { onHoldSince } : {}) } } };
}

export function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  if (command.type === 'OpenCase') return openCase(command, state);
  if (state.status === 'none') return reject('not_found', 'case not found');
  if (state.erased) {
    requireOwner(state, command.actor, 'act on the case');
    return reject('conflict', 'the case is erased');
  }
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
    case 'RecordScreening':
      return recordScreening(command, state);
    case 'RecordIdentification':
      return recordIdentification(command, state);
    case 'RecordIntake':
      return recordIntake(command, state);
    case 'RecordCasePlan':
      return recordCasePlan(command, state);
    case 'AssessSafety':
      return assessSafety(command, state);
    case 'InterruptCase':
    case 'ResumeCase':
    case 'CloseCase':
    case 'ReopenCase':
      return changeCaseStatus(command, state);
    case 'ProposeBestInterestsDetermination':
      return proposeBestInterestsDetermination(command, state);
    case 'ApproveBestInterestsDetermination':
    case 'RejectBestInterestsDetermination':
      return decideOnDetermination(command, state);
    case 'RaiseSafetyFlag':
      return raiseSafetyFlag(command, state);
    case 'LiftSafetyFlag':
      return liftSafetyFlag(command, state);
    case 'RequestErasure':
      return requestErasure(command, state);
    case 'ApproveErasure':
      return approveErasure(command, state);
    case 'EraseForRetention':
      return eraseForRetention(command, state);
    case 'ExpireLapsedConsent':
      return expireLapsedConsent(command, state);
  }
}

function requestErasure(command: RequestErasure, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'request erasure');
  if (state.erasureRequest) reject('conflict', `erasure request ${state.erasureRequest.requestId} is waiting for approval`);
  return [{ type: 'ErasureRequested', data: { requestId: command.requestId, reason: command.reason, by: command.actor.userId, at: command.at } }];
}

/** Two people: the requester cannot approve; a coordinator of the network may, from any agency. */
function approveErasure(command: ApproveErasure, state: ExistingCase): CaseEvent[] {
  // A coordinator approves from any agency, except one the case was referred to: that agency is a recipient like any other.
  const receives = Object.values(state.referrals).some(({ referral }) => referral.toAgencyId === command.actor.agencyId);
  if (!command.asCoordinator || receives) requireOwner(state, command.actor, 'approve erasure');
  const request = state.erasureRequest;
  // A coordinator outside the agency learns nothing of the case without the id of a waiting request.
  if (!request || request.requestId !== command.requestId) reject('not_found', command.asCoordinator ? 'case not found' : `erasure request ${command.requestId} not found`);
  if (request.requestedBy === command.actor.userId) reject('forbidden', 'erasure needs a second person: the requester cannot approve it');
  return erased(state, { requestId: request.requestId, reason: request.reason, requestedBy: request.requestedBy }, command);
}

function eraseForRetention(command: EraseForRetention, state: ExistingCase): CaseEvent[] {
  if (state.status !== 'closed' || !state.closedAt || instant(state.closedAt) > instant(command.closedBefore)) {
    reject('conflict', 'only a case closed for the whole retention period is erased for retention');
  }
  return erased(state, { requestId: command.requestId, reason: 'retention', requestedBy: command.actor.userId }, command);
}

/** Erasure withdraws the open referrals in the same decision: nothing is shared from an erased case. */
function erased(state: ExistingCase, data: { requestId: string; reason: ErasureReasonOf<'CaseErased'>; requestedBy: string }, command: { actor: Actor; at: string }): CaseEvent[] {
  return [
    { type: 'CaseErased', data: { ...data, by: command.actor.userId, at: command.at } },
    ...openReferrals(state).map(({ referral }) => referralEnded(state, referral, 'case_erased', command)),
  ];
}

function openCase(command: OpenCase, state: CaseState): CaseEvent[] {
  if (state.status !== 'none') reject('conflict', 'case already exists');
  checkIndicators(command.indicators);
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
    checkGrant(provision, `provision ${provision.provisionId}`, command.actor);
    if (provision.purpose === 'law_enforcement_report' && treatedAsChild(state.ageGroup)) {
      reject('invalid', 'sharing a child\'s data with law enforcement needs a best-interests determination, not consent alone');
    }
  }
  if (treatedAsChild(state.ageGroup) && (command.grantor !== 'guardian' || command.childAssent === undefined)) {
    reject('invalid', 'for a child, record a guardian\'s consent and whether the child assented');
  }
  const { type: _type, actor, at, ...given } = command;
  return [{ type: 'ConsentGiven', data: { ...given, recordedBy: actor.userId, givenAt: at } }];
}

/** The rules every consent provision and every determination scope entry obeys; `label` names it in the message. */
function checkGrant(grant: DisclosureGrant, label: string, actor: Actor): void {
  if (grant.categories.length === 0) reject('invalid', `${label} names no data category`);
  if (new Set(grant.categories).size !== grant.categories.length) reject('invalid', `${label} repeats a category`);
  if (grant.purpose === 'service_provision' && grant.serviceTypes.length === 0) {
    reject('invalid', `${label}: service_provision needs the service types agreed to`);
  }
  if (grant.purpose !== 'service_provision' && grant.serviceTypes.length > 0) {
    reject('invalid', `${label}: service types belong to service_provision only`);
  }
  // Read by the one strict reader: a time it cannot read is refused, never taken for another.
  const from = parseInstant(grant.validFrom) ?? reject('invalid', `${label} starts at no RFC 3339 date-time`);
  if (grant.validUntil !== undefined && (parseInstant(grant.validUntil) ?? reject('invalid', `${label} ends at no RFC 3339 date-time`)) <= from) {
    reject('invalid', `${label} ends before it starts`);
  }
  const judicial = grant.purpose === 'law_enforcement_report' || ('agencyKind' in grant.recipient && isJudicialAgency(grant.recipient.agencyKind));
  if (judicial) {
    if (actor.agencyKind === 'red_cross_red_crescent') {
      reject('forbidden', 'Red Cross and Red Crescent members do not take part in judicial cooperation');
    }
    // The policy never lets a kind of agency imply judicial cooperation; refuse what could never be used.
    if (!('agencyId' in grant.recipient)) reject('invalid', `${label}: data for law enforcement or prosecution goes to a named agency, not a kind of agency`);
  }
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
  return withOrphansWithdrawn(state, withdrawal, 'consent_withdrawn', command);
}

/** Repeatable: when nothing lapsed since the last run, it decides nothing. */
function expireLapsedConsent(command: ExpireLapsedConsent, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'expire consent');
  return withOrphansWithdrawn(state, [], 'consent_expired', command);
}

/**
 * `event` and, in the same decision, the withdrawal of every open referral the policy no longer
 * fully covers after it, including one a part of which had already lapsed (an expired category):
 * after a withdrawal or a flag, no open referral stands on less than full cover.
 */
function withOrphansWithdrawn(state: ExistingCase, event: CaseEvent | readonly CaseEvent[], cause: ReferralWithdrawalCause, command: { actor: Actor; at: string }): CaseEvent[] {
  const events = Array.isArray(event) ? event : [event as CaseEvent];
  const after = events.reduce(evolve, state) as ExistingCase;
  const orphaned = openReferrals(state).filter(({ referral }) => hasLapsed(after, referral, command.at));
  return [...events, ...orphaned.map(({ referral }) => referralEnded(state, referral, cause, command))];
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
  if (command.purpose === 'law_enforcement_report' || isJudicialAgency(command.recipient.agencyKind)) {
    if (command.actor.agencyKind === 'red_cross_red_crescent' || command.recipient.agencyKind === 'red_cross_red_crescent') {
      reject('forbidden', 'Red Cross and Red Crescent members do not take part in judicial cooperation');
    }
  }
  // Seed 002, step 2: the in-depth interview follows a screening in which the indicators held.
  if (command.serviceType === 'in_depth_interview' && state.screening !== 'indicators_confirmed') {
    reject('conflict', 'an in-depth interview follows a screening that confirmed indicators; record the screening first');
  }
  if (command.reReferralOf !== undefined) checkReReferral(command, state);
  if (command.directory && isUnavailable(command.directory)) reject(command.directory.kind === 'not_offered' ? 'invalid' : 'conflict', command.directory.reason);

  const request = {
    recipient: command.recipient,
    purpose: command.purpose,
    ...(command.serviceType ? { serviceType: command.serviceType } : {}),
  };
  const subject = consentSubjectOf(state);
  const legalBasis: LegalBasis[] = [];
  const uncoveredCategories: DataCategory[] = [];
  const withheld: DataCategory[] = [];
  for (const category of command.sharedCategories) {
    const decision = permits(subject, { ...request, category, at: command.at });
    if (!decision.permitted) (decision.rule === 'safety_flag' ? withheld : uncoveredCategories).push(category);
    else if (decision.basis.kind === 'consent') legalBasis.push({ category, consentId: decision.basis.consentId, provisionId: decision.basis.provisionId });
    else if (decision.basis.kind === 'best_interests') legalBasis.push({ category, determinationId: decision.basis.determinationId });
  }
  // The earlier checks leave only these two denials; the owner basis cannot apply to another agency.
  const problems = [
    ...(uncoveredCategories.length > 0
      ? [`no live consent${subject.treatedAsChild ? ' or approved best-interests determination' : ''} covers sharing ${uncoveredCategories.join(', ')} with this agency for ${command.purpose}${command.serviceType ? ` (${command.serviceType})` : ''}`]
      : []),
    ...(withheld.length > 0 ? [`a safety flag on the case withholds ${withheld.join(', ')} from other agencies`] : []),
  ];
  if (problems.length > 0) reject('consent_required', problems.join('; '));
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
        respondBy: new Date(instant(command.at) + RESPONSE_HOURS[command.urgency] * 3_600_000).toISOString(),
        ...(command.directory ? { serviceId: command.directory.serviceId, ...(command.directory.area ? { area: command.directory.area } : {}) } : {}),
        ...(command.reReferralOf ? { reReferralOf: command.reReferralOf } : {}),
      },
    },
  ];
}

/** After a decline, the same need goes to another agency; each declined referral is re-referred once. */
function checkReReferral(command: RequestReferral, state: ExistingCase): void {
  const original = state.referrals[command.reReferralOf!] ?? reject('not_found', `referral ${command.reReferralOf} not found`);
  if (original.status !== 'declined') reject('conflict', `referral is ${original.status}; only a declined referral is re-referred`);
  if (Object.values(state.referrals).some(({ referral }) => referral.reReferralOf === command.reReferralOf)) {
    reject('conflict', `referral ${command.reReferralOf} was already re-referred`);
  }
  if (original.referral.toAgencyId === command.recipient.agencyId) reject('invalid', 'a re-referral goes to another agency than the one that declined');
  if (original.referral.purpose !== command.purpose || original.referral.serviceType !== command.serviceType) {
    reject('invalid', 'a re-referral is for the same purpose and service as the declined referral');
  }
}

type Response = AcknowledgeReferral | AcceptReferral | DeclineReferral | CompleteReferral;

/** Which statuses each response may follow. */
const RESPONSE_FROM: Readonly<Record<Response['type'], readonly ReferralStatus[]>> = {
  AcknowledgeReferral: ['requested'],
  AcceptReferral: AWAITING_ANSWER,
  DeclineReferral: AWAITING_ANSWER,
  CompleteReferral: ['accepted'],
};

function respondToReferral(command: Response, state: ExistingCase): CaseEvent[] {
  const current = state.referrals[command.referralId];
  // An agency the case was never referred to learns nothing, not even that the case exists.
  const knowsCase = command.actor.agencyId === state.owningAgencyId || Object.values(state.referrals).some((r) => r.referral.toAgencyId === command.actor.agencyId);
  if (!knowsCase) reject('not_found', 'case not found');
  if (!current || current.referral.toAgencyId !== command.actor.agencyId) {
    if (current && command.actor.agencyId === state.owningAgencyId) reject('forbidden', 'only the receiving agency responds to a referral');
    reject('not_found', `referral ${command.referralId} not found`);
  }
  const { status } = current;
  if (!RESPONSE_FROM[command.type].includes(status)) reject('conflict', `referral is ${status}; cannot ${verb(command.type)} it`);
  // It no longer stands, whether or not the expiry process has withdrawn it yet.
  if (hasLapsed(state, current.referral, command.at)) reject('conflict', `the consent this referral was made under has lapsed; cannot ${verb(command.type)} it`);
  // The person is not reachable through the case now: nothing is taken on or finished for them until it resumes.
  if (current.onHoldSince && (command.type === 'AcceptReferral' || command.type === 'CompleteReferral')) {
    reject('conflict', `referral is on hold; cannot ${verb(command.type)} it`);
  }
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
  return [referralEnded(state, current.referral, 'sender', command)];
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
      // A paused case is open but static: its open referrals wait, none is lost.
      return [
        { type: 'CaseInterrupted', data: { ...step, reason: command.reason, ...(command.note ? { note: command.note } : {}) } },
        ...openReferrals(state).map(({ referral }): CaseEvent => ({ type: 'ReferralPutOnHold', data: { referralId: referral.referralId, ...step } })),
      ];
    case 'ResumeCase':
      return [
        { type: 'CaseResumed', data: step },
        ...Object.values(state.referrals).filter((r) => r.onHoldSince).map((r): CaseEvent => ({
          type: 'ReferralResumed', data: { referralId: r.referral.referralId, ...step, respondBy: deadlineAfterHold(r, command.at) },
        })),
      ];
    case 'CloseCase':
      return [
        { type: 'CaseClosed', data: { ...step, reason: command.reason } },
        ...openReferrals(state).map(({ referral }) => referralEnded(state, referral, 'case_closed', command)),
      ];
    case 'ReopenCase':
      return [{ type: 'CaseReopened', data: step }];
  }
}

const openReferrals = (state: ExistingCase): ReferralState[] => Object.values(state.referrals).filter(({ status }) => isOpenReferral(status));

/** A referral still awaiting its answer gets back the time it had left when the case paused; an answered one keeps its deadline. */
function deadlineAfterHold(held: ReferralState, at: string): string {
  if (!isAwaitingAnswer(held.status)) return held.respondBy;
  const left = Math.max(0, instant(held.respondBy) - instant(held.onHoldSince!));
  return new Date(instant(at) + left).toISOString();
}

/** The categories of a referral that the policy no longer permits at `at`. */
export function uncovered(state: ExistingCase, referral: ReferralRequested['data'], at: string): DataCategory[] {
  const subject = consentSubjectOf(state);
  return referral.sharedCategories.filter(
    (category) =>
      !permits(subject, {
        recipient: { agencyId: referral.toAgencyId, agencyKind: referral.toAgencyKind },
        purpose: referral.purpose,
        ...(referral.serviceType ? { serviceType: referral.serviceType } : {}),
        category,
        at,
      }).permitted,
  );
}

/** The moments at which grants end (a provision's validUntil, a determination scope entry's end): when referrals may lapse. */
export const grantEnds = (grants: readonly DisclosureGrant[]): string[] => grants.flatMap((grant) => (grant.validUntil === undefined ? [] : [grant.validUntil]));

/**
 * Whether a referral no longer stands at `at`: the policy does not cover it then, or did not at a
 * moment since it was made when a consent provision or an approved determination ended. Checked
 * at each such moment, so a consent given after the lapse does not revive a referral nobody has
 * withdrawn yet: every answer is the same whether or not the expiry process has run.
 */
export function hasLapsed(state: ExistingCase, referral: ReferralRequested['data'], at: string): boolean {
  const subject = consentSubjectOf(state);
  const [made, now] = [instant(referral.requestedAt), instant(at)];
  const ends = grantEnds([...subject.consents.flatMap((c) => c.provisions), ...subject.bestInterests.flatMap((d) => d.scope)])
    .filter((end) => made < instant(end) && instant(end) <= now);
  return [...ends, at].some((moment) => uncovered(state, referral, moment).length > 0);
}

/** A referral that had lapsed is withdrawn for its expiry, whoever ends it, so the cause stays true. */
function referralEnded(state: ExistingCase, referral: ReferralRequested['data'], cause: ReferralWithdrawalCause, command: { actor: Actor; at: string }): CaseEvent {
  const withdrawnFor = hasLapsed(state, referral, command.at) ? 'consent_expired' : cause;
  return { type: 'ReferralWithdrawn', data: { referralId: referral.referralId, cause: withdrawnFor, by: command.actor.userId, at: command.at } };
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

function proposeBestInterestsDetermination(command: ProposeBestInterestsDetermination, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'propose a best-interests determination');
  requireStatus(state, ['open', 'paused'], 'propose a best-interests determination');
  if (!treatedAsChild(state.ageGroup)) reject('invalid', 'a best-interests determination is for a child; an adult decides by consent');
  if (state.determinations[command.determinationId]) reject('conflict', `determination ${command.determinationId} already exists`);
  if (command.scope.length === 0) reject('invalid', 'a determination needs at least one scope entry');
  command.scope.forEach((grant, index) => {
    const label = `scope entry ${index + 1}`;
    checkGrant(grant, label, command.actor);
    if (grant.validUntil === undefined) reject('invalid', `${label} needs an end: a decision made for a child is reviewed, never open-ended`);
  });
  const { determinationId, scope, reasons } = command;
  return [{ type: 'BestInterestsDeterminationProposed', data: { determinationId, scope, reasons, by: command.actor.userId, at: command.at } }];
}

function decideOnDetermination(command: ApproveBestInterestsDetermination | RejectBestInterestsDetermination, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'decide on a best-interests determination');
  requireStatus(state, ['open', 'paused'], 'decide on a best-interests determination');
  const { determinationId } = command;
  const current = state.determinations[determinationId] ?? reject('not_found', `determination ${determinationId} not found`);
  if (current.status !== 'proposed') reject('conflict', `determination ${determinationId} is already ${current.status}`);
  // The second pair of eyes decides either way: the proposer neither approves nor rejects their own proposal.
  if (current.proposal.by === command.actor.userId) {
    reject('forbidden', 'a best-interests determination is approved or rejected by someone other than the person who proposed it');
  }
  const step = { determinationId, by: command.actor.userId, at: command.at };
  if (command.type === 'RejectBestInterestsDetermination') return [{ type: 'BestInterestsDeterminationRejected', data: step }];
  return [{ type: 'BestInterestsDetermined', data: { ...step, decidedBy: current.proposal.by } }];
}

const isSafetyFlag = isOneOf(SAFETY_FLAGS);

function checkIndicators(indicators: readonly IndicatorCode[], known: readonly IndicatorCode[] = []): void {
  const unknown = indicators.filter((code) => !isIndicatorCode(code));
  if (unknown.length > 0) reject('invalid', `unknown indicator codes: ${unknown.join(', ')}`);
  if (new Set([...known, ...indicators]).size !== known.length + indicators.length) reject('invalid', 'indicator codes are repeated');
}

function recordScreening(command: RecordScreening, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'record a screening');
  requireStatus(state, ['open'], 'record a screening');
  checkIndicators(command.indicators, state.indicators);
  return [{ type: 'ScreeningRecorded', data: { outcome: command.outcome, indicators: command.indicators, by: command.actor.userId, at: command.at } }];
}

/**
 * The owner's trained staff record it, or the agency that accepted the referral for the in-depth
 * interview. Any outcome leaves referrals for other needs open to the case (seed 002, step 3).
 */
function recordIdentification(command: RecordIdentification, state: ExistingCase): CaseEvent[] {
  const step = { outcome: command.outcome, agencyId: command.actor.agencyId, by: command.actor.userId, at: command.at };
  if (command.referralId === undefined) {
    requireOwner(state, command.actor, 'record an identification');
  } else {
    const interview = state.referrals[command.referralId];
    if (!interview || interview.referral.toAgencyId !== command.actor.agencyId) {
      requireOwner(state, command.actor, 'record an identification'); // strangers learn nothing of the case
      reject('forbidden', 'only the agency that conducted the in-depth interview records its outcome');
    }
    if (interview.referral.serviceType !== 'in_depth_interview') reject('invalid', 'the referral is not for an in-depth interview');
    if (interview.status !== 'accepted' && interview.status !== 'completed') reject('conflict', `referral is ${interview.status}; accept it before recording the interview's outcome`);
    if (interview.status === 'accepted' && hasLapsed(state, interview.referral, command.at)) reject('conflict', 'the consent the interview\'s referral was made under has lapsed');
  }
  requireStatus(state, ['open'], 'record an identification');
  return [{ type: 'IdentificationRecorded', data: { ...step, ...(command.referralId ? { referralId: command.referralId } : {}) } }];
}

function recordIntake(command: RecordIntake, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'record the intake');
  requireStatus(state, ['open'], 'record the intake');
  if (!command.caseworkerIsStaff) reject('invalid', 'the caseworker is an active caseworker or supervisor of the owning agency');
  if (state.caseworkerId === command.caseworkerId) reject('conflict', 'this caseworker already manages the case');
  return [{ type: 'IntakeRecorded', data: { caseworkerId: command.caseworkerId, by: command.actor.userId, at: command.at } }];
}

function recordCasePlan(command: RecordCasePlan, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'record a case plan');
  requireStatus(state, ['open'], 'record a case plan');
  if (!state.caseworkerId) reject('conflict', 'a case plan follows the intake; record the intake first');
  if (new Set(command.servicesNeeded).size !== command.servicesNeeded.length) reject('invalid', 'services needed are repeated');
  return [{ type: 'CasePlanRecorded', data: { servicesNeeded: command.servicesNeeded, plan: command.plan, by: command.actor.userId, at: command.at } }];
}

/** The assessment, and the flags it raises, which narrow sharing in the same decision. */
function assessSafety(command: AssessSafety, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'assess safety');
  requireStatus(state, ['open', 'paused'], 'assess safety');
  const unknown = command.flags.filter((flag) => !isSafetyFlag(flag));
  if (unknown.length > 0) reject('invalid', `unknown safety flags: ${unknown.join(', ')}`);
  const step = { by: command.actor.userId, at: command.at };
  // A flag already raised is confirmed by the assessment, not raised twice.
  const raised = [...new Set(command.flags)].filter((flag) => !state.safetyFlags.includes(flag))
    .map((flag): CaseEvent => ({ type: 'SafetyFlagRaised', data: { flag, ...step } }));
  return withOrphansWithdrawn(state, [{ type: 'SafetyAssessed', data: { riskLevel: command.riskLevel, plan: command.plan, ...step } }, ...raised], 'safety_flag_raised', command);
}

function raiseSafetyFlag(command: RaiseSafetyFlag, state: ExistingCase): CaseEvent[] {
  // Possible whatever the case's status: a flag only narrows what others receive.
  requireOwner(state, command.actor, 'raise a safety flag');
  if (!isSafetyFlag(command.flag)) reject('invalid', `unknown safety flag: ${command.flag}`);
  if (state.safetyFlags.includes(command.flag)) reject('conflict', `safety flag ${command.flag} is already raised`);
  const raised: CaseEvent = { type: 'SafetyFlagRaised', data: { flag: command.flag, by: command.actor.userId, at: command.at } };
  return withOrphansWithdrawn(state, raised, 'safety_flag_raised', command);
}

function liftSafetyFlag(command: LiftSafetyFlag, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'lift a safety flag');
  requireStatus(state, ['open', 'paused'], 'lift a safety flag');
  if (!state.safetyFlags.includes(command.flag)) reject('conflict', `safety flag ${command.flag} is not raised`);
  return [{ type: 'SafetyFlagLifted', data: { flag: command.flag, by: command.actor.userId, at: command.at } }];
}

/** What the consent policy knows of the case; an erased case permits nothing to anyone. */
export function consentSubjectOf(state: ExistingCase): ConsentSubject {
  return {
    owningAgencyId: state.owningAgencyId,
    treatedAsChild: treatedAsChild(state.ageGroup),
    consents: Object.values(state.consents),
    bestInterests: Object.values(state.determinations).flatMap(({ proposal, approval }) =>
      approval ? [{ determinationId: proposal.determinationId, decidedBy: approval.decidedBy, approvedBy: approval.by, approvedAt: approval.at, scope: proposal.scope }] : []),
    safetyFlags: state.safetyFlags,
    erased: state.erased,
  };
}

export const caseDecider = { decide, evolve, initialState };
