import type { AssessSafety, OpenCase, RecordCasePlan, RecordIdentification, RecordIntake, RecordScreening } from '../commands.js';
import type { CaseEvent } from '../events.js';
import { reject } from '../rejection.js';
import { checkIndicators, isSafetyFlag, requireOwner, requireStatus } from './guards.js';
import { hasLapsed, withOrphansWithdrawn } from './policy.js';
import type { CaseState, ExistingCase } from './state.js';

export function openCase(command: OpenCase, state: CaseState): CaseEvent[] {
  if (state.status !== 'none') reject('conflict', 'case already exists');
  checkIndicators(command.indicators);
  const { caseId, actor, at, source, indicators, ageGroup, personalData } = command;
  return [
    {
      type: 'CaseOpened',
      data: { caseId, owningAgencyId: actor.agencyId, openedBy: actor.userId, openedAt: at, source, indicators, ageGroup, personalData },
    },
  ];
}

export function recordScreening(command: RecordScreening, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'record a screening');
  requireStatus(state, ['open'], 'record a screening');
  checkIndicators(command.indicators, state.indicators);
  return [
    {
      type: 'ScreeningRecorded',
      data: { outcome: command.outcome, indicators: command.indicators, by: command.actor.userId, at: command.at },
    },
  ];
}

/**
 * The owner's trained staff record it, or the agency that accepted the referral for the in-depth
 * interview. Any outcome leaves referrals for other needs open to the case (seed 002, step 3).
 */
export function recordIdentification(command: RecordIdentification, state: ExistingCase): CaseEvent[] {
  if (command.referralId === undefined) {
    requireOwner(state, command.actor, 'record an identification');
    requireStatus(state, ['open'], 'record an identification');
  } else {
    checkInterview(command, command.referralId, state);
    // The interviewing agency may not be allowed to know whether the case is paused or closed (case_progress).
    if (state.status !== 'open') reject('conflict', "the case does not take the interview's outcome now");
  }
  const step = { outcome: command.outcome, agencyId: command.actor.agencyId, by: command.actor.userId, at: command.at };
  return [{ type: 'IdentificationRecorded', data: { ...step, ...(command.referralId ? { referralId: command.referralId } : {}) } }];
}

/** The interview's outcome comes from the agency that accepted the referral for it, while its cover stands. */
function checkInterview(command: RecordIdentification, referralId: string, state: ExistingCase): void {
  const interview = state.referrals[referralId];
  if (interview?.referral.toAgencyId !== command.actor.agencyId) {
    requireOwner(state, command.actor, 'record an identification'); // strangers learn nothing of the case
    reject('forbidden', 'only the agency that conducted the in-depth interview records its outcome');
  }
  if (interview.referral.serviceType !== 'in_depth_interview') reject('invalid', 'the referral is not for an in-depth interview');
  if (interview.status !== 'accepted' && interview.status !== 'completed') {
    reject('conflict', `referral is ${interview.status}; accept it before recording the interview's outcome`);
  }
  if (interview.status === 'accepted' && hasLapsed(state, interview.referral, command.at)) {
    reject('conflict', "the consent the interview's referral was made under has lapsed");
  }
}

export function recordIntake(command: RecordIntake, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'record the intake');
  requireStatus(state, ['open'], 'record the intake');
  if (!command.caseworkerIsStaff) reject('invalid', 'the caseworker is an active caseworker or supervisor of the owning agency');
  if (state.caseworkerId === command.caseworkerId) reject('conflict', 'this caseworker already manages the case');
  return [{ type: 'IntakeRecorded', data: { caseworkerId: command.caseworkerId, by: command.actor.userId, at: command.at } }];
}

export function recordCasePlan(command: RecordCasePlan, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'record a case plan');
  requireStatus(state, ['open'], 'record a case plan');
  if (!state.caseworkerId) reject('conflict', 'a case plan follows the intake; record the intake first');
  if (new Set(command.servicesNeeded).size !== command.servicesNeeded.length) reject('invalid', 'services needed are repeated');
  return [
    {
      type: 'CasePlanRecorded',
      data: { servicesNeeded: command.servicesNeeded, plan: command.plan, by: command.actor.userId, at: command.at },
    },
  ];
}

/** The assessment, and the flags it raises, which narrow sharing in the same decision. */
export function assessSafety(command: AssessSafety, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'assess safety');
  requireStatus(state, ['open', 'paused'], 'assess safety');
  const unknown = command.flags.filter((flag) => !isSafetyFlag(flag));
  if (unknown.length > 0) reject('invalid', `unknown safety flags: ${unknown.join(', ')}`);
  const step = { by: command.actor.userId, at: command.at };
  // A flag already raised is confirmed by the assessment, not raised twice.
  const raised = [...new Set(command.flags)]
    .filter((flag) => !state.safetyFlags.includes(flag))
    .map((flag): CaseEvent => ({ type: 'SafetyFlagRaised', data: { flag, ...step } }));
  const assessed: CaseEvent = { type: 'SafetyAssessed', data: { riskLevel: command.riskLevel, plan: command.plan, ...step } };
  return withOrphansWithdrawn(state, [assessed, ...raised], 'safety_flag_raised', command);
}
