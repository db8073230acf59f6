import { instantOrNaN as instant } from '../../../time/index.js';
import type { CloseCase, InterruptCase, ReopenCase, ResumeCase } from '../commands.js';
import type { CaseEvent } from '../events.js';
import { reject } from '../rejection.js';
import { requireOwner } from './guards.js';
import { referralEnded } from './policy.js';
import { type CaseStatus, type ExistingCase, type ReferralState, isAwaitingAnswer, openReferrals } from './state.js';

type StatusChange = InterruptCase | ResumeCase | CloseCase | ReopenCase;

const STATUS_FROM: Readonly<Record<StatusChange['type'], readonly CaseStatus[]>> = {
  InterruptCase: ['open'],
  ResumeCase: ['paused'],
  CloseCase: ['open', 'paused'],
  ReopenCase: ['closed'],
};

export function changeCaseStatus(command: StatusChange, state: ExistingCase): CaseEvent[] {
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
        ...openReferrals(state).map(({ referral }): CaseEvent => ({
          type: 'ReferralPutOnHold',
          data: { referralId: referral.referralId, ...step },
        })),
      ];
    case 'ResumeCase':
      return [
        { type: 'CaseResumed', data: step },
        ...Object.values(state.referrals)
          .filter((r) => r.onHoldSince)
          .map((r): CaseEvent => ({
            type: 'ReferralResumed',
            data: { referralId: r.referral.referralId, ...step, respondBy: deadlineAfterHold(r, command.at) },
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

/** A referral still awaiting its answer gets back the time it had left when the case paused; an answered one keeps its deadline. */
function deadlineAfterHold(held: ReferralState, at: string): string {
  if (!isAwaitingAnswer(held.status)) return held.respondBy;
  const left = Math.max(0, instant(held.respondBy) - instant(held.onHoldSince!));
  return new Date(instant(at) + left).toISOString();
}
