import type { CaseCommand } from '../commands.js';
import type { CaseEvent } from '../events.js';
import { CaseAlreadyErased, reject } from '../rejection.js';
import { decideOnDetermination, proposeBestInterestsDetermination } from './best-interests.js';
import { assessSafety, openCase, recordCasePlan, recordIdentification, recordIntake, recordScreening } from './case-path.js';
import { changeCaseStatus } from './case-status.js';
import { expireLapsedConsent, giveConsent, withdrawConsent } from './consent.js';
import { approveErasure, eraseForRetention, rejectErasure, requestErasure } from './erasure.js';
import { requireOwner } from './guards.js';
import { requestReferral, respondToReferral, withdrawReferral } from './referrals.js';
import { liftSafetyFlag, raiseSafetyFlag } from './safety-flags.js';
import type { CaseState, ExistingCase } from './state.js';

type OnExisting = Exclude<CaseCommand, { type: 'OpenCase' }>;
/** Who decides each command on an existing case; the type makes sure every command has one. */
type Deciders = { readonly [K in OnExisting['type']]: (command: Extract<OnExisting, { type: K }>, state: ExistingCase) => CaseEvent[] };

const DECIDERS: Deciders = {
  GiveConsent: giveConsent,
  WithdrawConsent: withdrawConsent,
  ExpireLapsedConsent: expireLapsedConsent,
  RequestReferral: requestReferral,
  AcknowledgeReferral: respondToReferral,
  AcceptReferral: respondToReferral,
  DeclineReferral: respondToReferral,
  CompleteReferral: respondToReferral,
  WithdrawReferral: withdrawReferral,
  InterruptCase: changeCaseStatus,
  ResumeCase: changeCaseStatus,
  CloseCase: changeCaseStatus,
  ReopenCase: changeCaseStatus,
  RecordScreening: recordScreening,
  RecordIdentification: recordIdentification,
  RecordIntake: recordIntake,
  RecordCasePlan: recordCasePlan,
  AssessSafety: assessSafety,
  ProposeBestInterestsDetermination: proposeBestInterestsDetermination,
  ApproveBestInterestsDetermination: decideOnDetermination,
  RejectBestInterestsDetermination: decideOnDetermination,
  RaiseSafetyFlag: raiseSafetyFlag,
  LiftSafetyFlag: liftSafetyFlag,
  RequestErasure: requestErasure,
  ApproveErasure: approveErasure,
  RejectErasure: rejectErasure,
  EraseForRetention: eraseForRetention,
};

export function decide(command: CaseCommand, state: CaseState): CaseEvent[] {
  if (command.type === 'OpenCase') return openCase(command, state);
  if (state.status === 'none') return reject('not_found', 'case not found');
  if (state.erased) {
    requireOwner(state, command.actor, 'act on the case');
    throw new CaseAlreadyErased();
  }
  // TypeScript cannot pair the looked-up decider with the command's own type: the map's type does.
  const decideOnExisting = DECIDERS[command.type] as (command: OnExisting, state: ExistingCase) => CaseEvent[];
  return decideOnExisting(command, state);
}
