/**
 * The case decider: `decide` and `evolve` over the case's state, each area in its own module under
 * ./case (state and evolve; consent, referrals, case status, the case path, best interests, safety
 * flags and erasure; shared guards; the bridge to the consent policy).
 */
import { decide } from './case/decide.js';
import { evolve } from './case/evolve.js';
import { initialState } from './case/state.js';

export {
  type CaseState,
  type CaseStatus,
  type ConsentState,
  type DeterminationState,
  type DeterminationStatus,
  type ExistingCase,
  type ReferralState,
  type ReferralStatus,
  AWAITING_ANSWER,
  REFERRAL_STATUS_AFTER,
  RESPONSE_HOURS,
  initialState,
  isOpenReferral,
  treatedAsChild,
} from './case/state.js';
export { decide } from './case/decide.js';
export { evolve } from './case/evolve.js';
export { type CaseFacts, consentSubject, consentSubjectOf, grantEnds, hasLapsed, uncovered } from './case/policy.js';

export const caseDecider = { decide, evolve, initialState };
