import { OUT_OF_JUDICIAL_COOPERATION, isJudicialCooperation, staysOutOfJudicialCooperation } from '../../../consent-policy/index.js';
import { instantOrNaN as instant } from '../../../time/index.js';
import type {
  AcceptReferral,
  AcknowledgeReferral,
  CompleteReferral,
  DeclineReferral,
  RequestReferral,
  WithdrawReferral,
} from '../commands.js';
import type { CaseEvent, LegalBasis } from '../events.js';
import { reject } from '../rejection.js';
import { type Unavailable, isUnavailable } from '../service-match.js';
import { isRecipient, requireOwner, requireStatus } from './guards.js';
import { hasLapsed, legalBasisFor, referralEnded } from './policy.js';
import { AWAITING_ANSWER, type ExistingCase, RESPONSE_HOURS, type ReferralStatus, isOpenReferral } from './state.js';

export function requestReferral(command: RequestReferral, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'refer');
  requireStatus(state, ['open'], 'refer');
  checkReferral(command, state);
  // Seed 002, step 2: the in-depth interview follows a screening in which the indicators held.
  if (command.serviceType === 'in_depth_interview' && state.screening !== 'indicators_confirmed') {
    reject('conflict', 'an in-depth interview follows a screening that confirmed indicators; record the screening first');
  }
  if (command.reReferralOf !== undefined) checkReReferral(command, state);
  const { directory } = command;
  if (directory && isUnavailable(directory)) reject(directory.kind === 'not_offered' ? 'invalid' : 'conflict', directory.reason);
  return [referralRequested(command, state, legalBasisFor(state, command), directory)];
}

/** What a referral must be on its own: to another agency, sharing something, for a purpose it fits. */
function checkReferral(command: RequestReferral, state: ExistingCase): void {
  if (state.referrals[command.referralId]) reject('conflict', `referral ${command.referralId} already exists`);
  if (command.recipient.agencyId === state.owningAgencyId) reject('invalid', 'a referral goes to another agency');
  if (command.sharedCategories.length === 0) reject('invalid', 'a referral shares at least one data category');
  if (new Set(command.sharedCategories).size !== command.sharedCategories.length) reject('invalid', 'shared categories are repeated');
  if (command.purpose === 'service_provision' && !command.serviceType) reject('invalid', 'service_provision needs a service type');
  if (command.purpose !== 'service_provision' && command.serviceType) reject('invalid', 'a service type belongs to service_provision only');
  const parties = [command.actor.agencyKind, command.recipient.agencyKind];
  if (isJudicialCooperation(command.purpose, command.recipient) && parties.some(staysOutOfJudicialCooperation)) {
    reject('forbidden', OUT_OF_JUDICIAL_COOPERATION);
  }
}

/** After a decline, the same need goes to another agency; each declined referral is re-referred once. */
function checkReReferral(command: RequestReferral, state: ExistingCase): void {
  const original = state.referrals[command.reReferralOf!] ?? reject('not_found', `referral ${command.reReferralOf} not found`);
  if (original.status !== 'declined') reject('conflict', `referral is ${original.status}; only a declined referral is re-referred`);
  if (Object.values(state.referrals).some(({ referral }) => referral.reReferralOf === command.reReferralOf)) {
    reject('conflict', `referral ${command.reReferralOf} was already re-referred`);
  }
  if (original.referral.toAgencyId === command.recipient.agencyId)
    reject('invalid', 'a re-referral goes to another agency than the one that declined');
  if (original.referral.purpose !== command.purpose || original.referral.serviceType !== command.serviceType) {
    reject('invalid', 'a re-referral is for the same purpose and service as the declined referral');
  }
}

/** `directory`: the service and area the directory found for it, if the purpose needs a service. */
function referralRequested(
  command: RequestReferral,
  state: ExistingCase,
  legalBasis: LegalBasis[],
  directory: Exclude<RequestReferral['directory'], Unavailable>,
): CaseEvent {
  return {
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
      ...(directory ? { serviceId: directory.serviceId, ...(directory.area ? { area: directory.area } : {}) } : {}),
      ...(command.reReferralOf ? { reReferralOf: command.reReferralOf } : {}),
    },
  };
}

type Response = AcknowledgeReferral | AcceptReferral | DeclineReferral | CompleteReferral;

/** Which statuses each response may follow. */
const RESPONSE_FROM: Readonly<Record<Response['type'], readonly ReferralStatus[]>> = {
  AcknowledgeReferral: ['requested'],
  AcceptReferral: AWAITING_ANSWER,
  DeclineReferral: AWAITING_ANSWER,
  CompleteReferral: ['accepted'],
};

export function respondToReferral(command: Response, state: ExistingCase): CaseEvent[] {
  const current = state.referrals[command.referralId];
  // An agency the case was never referred to learns nothing, not even that the case exists.
  const knowsCase = command.actor.agencyId === state.owningAgencyId || isRecipient(state, command.actor.agencyId);
  if (!knowsCase) reject('not_found', 'case not found');
  if (current?.referral.toAgencyId !== command.actor.agencyId) {
    if (current && command.actor.agencyId === state.owningAgencyId) reject('forbidden', 'only the receiving agency responds to a referral');
    reject('not_found', `referral ${command.referralId} not found`);
  }
  const { status } = current;
  if (!RESPONSE_FROM[command.type].includes(status)) reject('conflict', `referral is ${status}; cannot ${verb(command.type)} it`);
  // It no longer stands, whether or not the expiry process has withdrawn it yet.
  if (hasLapsed(state, current.referral, command.at))
    reject('conflict', `the consent this referral was made under has lapsed; cannot ${verb(command.type)} it`);
  // The person is not reachable through the case now: nothing is taken on or finished for them until it resumes.
  if (current.onHoldSince && (command.type === 'AcceptReferral' || command.type === 'CompleteReferral')) {
    reject('conflict', `referral is on hold; cannot ${verb(command.type)} it`);
  }
  return [response(command)];
}

function response(command: Response): CaseEvent {
  const step = { referralId: command.referralId, by: command.actor.userId, at: command.at };
  switch (command.type) {
    case 'AcknowledgeReferral':
      return { type: 'ReferralAcknowledged', data: step };
    case 'AcceptReferral':
      return { type: 'ReferralAccepted', data: step };
    case 'DeclineReferral':
      return { type: 'ReferralDeclined', data: { ...step, reason: command.reason, ...(command.note ? { note: command.note } : {}) } };
    case 'CompleteReferral':
      return { type: 'ReferralCompleted', data: { ...step, outcome: command.outcome } };
  }
}

const verb = (type: Response['type']): string => type.replace('Referral', '').toLowerCase();

export function withdrawReferral(command: WithdrawReferral, state: ExistingCase): CaseEvent[] {
  const current = state.referrals[command.referralId];
  if (current?.referral.toAgencyId === command.actor.agencyId)
    reject('forbidden', 'only the referring agency withdraws a referral; decline it instead');
  requireOwner(state, command.actor, 'withdraw a referral');
  if (!current) return reject('not_found', `referral ${command.referralId} not found`);
  if (!isOpenReferral(current.status)) reject('conflict', `referral is ${current.status}; only an open referral can be withdrawn`);
  return [referralEnded(state, current.referral, 'sender', command)];
}
