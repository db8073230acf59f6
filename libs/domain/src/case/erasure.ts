import { instantOrNaN as instant } from '../../../time/index.js';
import type { Actor, ApproveErasure, EraseForRetention, RejectErasure, RequestErasure } from '../commands.js';
import type { CaseEvent } from '../events.js';
import { reject } from '../rejection.js';
import { isRecipient, requireOwner } from './guards.js';
import { referralEnded } from './policy.js';
import { type ErasureReasonOf, type ExistingCase, openReferrals } from './state.js';

export function requestErasure(command: RequestErasure, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'request erasure');
  if (state.erasureRequest) reject('conflict', `erasure request ${state.erasureRequest.requestId} is waiting for approval`);
  return [
    { type: 'ErasureRequested', data: { requestId: command.requestId, reason: command.reason, by: command.actor.userId, at: command.at } },
  ];
}

/** Two people: the requester cannot approve; a coordinator of the network may, from any agency. */
export function approveErasure(command: ApproveErasure, state: ExistingCase): CaseEvent[] {
  const request = waitingRequest(command, state, 'approve');
  return erased(state, { requestId: request.requestId, reason: request.reason, requestedBy: request.requestedBy }, command);
}

/** The same people as for approval turn a request down; nothing is erased, and a new request may be made. */
export function rejectErasure(command: RejectErasure, state: ExistingCase): CaseEvent[] {
  const { requestId } = waitingRequest(command, state, 'reject');
  return [{ type: 'ErasureRequestRejected', data: { requestId, by: command.actor.userId, at: command.at } }];
}

/** The waiting request a second person decides on, either way: one rule for both, so neither can drift from the other. */
function waitingRequest(command: ApproveErasure | RejectErasure, state: ExistingCase, verb: 'approve' | 'reject') {
  // A coordinator decides from any agency, except one the case was referred to: that agency is a recipient like any other.
  if (!command.asCoordinator || isRecipient(state, command.actor.agencyId)) requireOwner(state, command.actor, `${verb} erasure`);
  const request = state.erasureRequest;
  // A coordinator outside the agency learns nothing of the case without the id of a waiting request.
  if (request?.requestId !== command.requestId) {
    reject('not_found', command.asCoordinator ? 'case not found' : `erasure request ${command.requestId} not found`);
  }
  // A second person either way: the request may carry the person's own wish to be erased, which one member of staff does not drop alone.
  if (request.requestedBy === command.actor.userId) reject('forbidden', `erasure needs a second person: the requester cannot ${verb} it`);
  return request;
}

export function eraseForRetention(command: EraseForRetention, state: ExistingCase): CaseEvent[] {
  if (state.status !== 'closed' || !state.closedAt || instant(state.closedAt) > instant(command.closedBefore)) {
    reject('conflict', 'only a case closed for the whole retention period is erased for retention');
  }
  return erased(state, { requestId: command.requestId, reason: 'retention', requestedBy: command.actor.userId }, command);
}

/** Erasure withdraws the open referrals in the same decision: nothing is shared from an erased case. */
function erased(
  state: ExistingCase,
  data: { requestId: string; reason: ErasureReasonOf<'CaseErased'>; requestedBy: string },
  command: { actor: Actor; at: string },
): CaseEvent[] {
  return [
    { type: 'CaseErased', data: { ...data, by: command.actor.userId, at: command.at } },
    ...openReferrals(state).map(({ referral }) => referralEnded(state, referral, 'case_erased', command)),
  ];
}
