import type {
  AgencyKind,
  ConsentGrantor,
  ConsentProvision,
  DataCategory,
  DisclosureGrant,
  Purpose,
  SafetyFlag,
  ServiceType,
} from '../../consent-policy/index.js';
import type { IndicatorCode } from './indicators.js';

/**
 * Ciphertext of personal data, sealed under the case's data key by the application before a
 * command reaches the decider. The domain carries it and never looks inside.
 */
export type Sealed = Readonly<Record<string, unknown>>;

export const CASE_SOURCES = ['observation', 'self_referral', 'hotline', 'referral_in'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** Anyone who is, says they are, or may be a child is treated as a child (DOMAIN.md). */
export const AGE_GROUPS = ['adult', 'child', 'claims_to_be_child', 'possibly_child'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** Personal data recorded when a case is opened, by category, each sealed on its own. */
export const CASE_PERSONAL_DATA_CATEGORIES = ['identity', 'contact', 'location', 'demographics'] as const satisfies readonly DataCategory[];
export type CasePersonalData = Partial<Record<(typeof CASE_PERSONAL_DATA_CATEGORIES)[number], Sealed>>;

// The policy needs the grantor too; it is defined there and offered here with the other event vocabularies.
export { CONSENT_GRANTORS, type ConsentGrantor } from '../../consent-policy/index.js';
export const CONSENT_METHODS = ['verbal', 'written', 'phone'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export const URGENCIES = ['immediate', 'high', 'normal'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const INTERRUPTION_REASONS = ['declined_assistance', 'lost_contact', 'relocated', 'other'] as const;
export type InterruptionReason = (typeof INTERRUPTION_REASONS)[number];

export const CLOSURE_REASONS = ['services_completed', 'declined_assistance', 'lost_contact', 'referred_outside_network', 'other'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export const DECLINE_REASONS = [
  'no_capacity',
  'not_eligible',
  'service_not_offered',
  'person_unreachable',
  'person_declined',
  'safety_concern',
  'other',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const REFERRAL_WITHDRAWAL_CAUSES = [
  'sender',
  'consent_withdrawn',
  'consent_expired',
  'safety_flag_raised',
  'case_closed',
  'case_erased',
] as const;

/**
 * Seed 002, step 2: if indicators hold, refer for an in-depth interview; if not trafficking but other
 * needs, still refer; otherwise nothing further is asked of the person.
 */
export const SCREENING_OUTCOMES = ['indicators_confirmed', 'other_needs', 'no_further_action'] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

/** Seed 002, step 3: the trained specialist's conclusion. "Not" still leaves the duty to refer for other needs. */
export const IDENTIFICATION_OUTCOMES = ['trafficked_person', 'not_trafficked', 'inconclusive'] as const;
export type IdentificationOutcome = (typeof IDENTIFICATION_OUTCOMES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const ERASURE_REASONS = ['person_requested', 'no_longer_needed', 'recorded_in_error', 'retention'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];
export type ReferralWithdrawalCause = (typeof REFERRAL_WITHDRAWAL_CAUSES)[number];

/** What a referral relies on for one shared category: a consent provision, or for a child a best-interests determination. */
export interface ConsentBasis {
  readonly category: DataCategory;
  readonly consentId: string;
  readonly provisionId: string;
}
export interface DeterminationBasis {
  readonly category: DataCategory;
  readonly determinationId: string;
}
export type LegalBasis = ConsentBasis | DeterminationBasis;
export const isConsentBasis = (basis: LegalBasis): basis is ConsentBasis => 'consentId' in basis;

interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
}

export type CaseOpened = Event<
  'CaseOpened',
  {
    caseId: string;
    owningAgencyId: string;
    openedBy: string;
    openedAt: string;
    source: CaseSource;
    indicators: readonly IndicatorCode[];
    ageGroup: AgeGroup;
    personalData: CasePersonalData;
  }
>;

export type ConsentGiven = Event<
  'ConsentGiven',
  {
    consentId: string;
    grantor: ConsentGrantor;
    /** Recorded for children: the child's own agreement besides the guardian's consent. */
    childAssent?: boolean;
    method: ConsentMethod;
    language: string;
    interpreterUsed: boolean;
    noticeVersion: string;
    recordedBy: string;
    givenAt: string;
    provisions: readonly ConsentProvision[];
  }
>;

export type ConsentWithdrawn = Event<
  'ConsentWithdrawn',
  {
    consentId: string;
    /** The provisions withdrawn by this event (all remaining ones for a whole withdrawal). */
    provisionIds: readonly string[];
    whole: boolean;
    recordedBy: string;
    withdrawnAt: string;
  }
>;

export type ReferralRequested = Event<
  'ReferralRequested',
  {
    referralId: string;
    fromAgencyId: string;
    toAgencyId: string;
    /** The recipient's kind when referred: a provision may name a kind of agency rather than one agency. */
    toAgencyKind: AgencyKind;
    purpose: Purpose;
    serviceType?: ServiceType;
    urgency: Urgency;
    sharedCategories: readonly DataCategory[];
    legalBasis: readonly LegalBasis[];
    note?: Sealed;
    requestedBy: string;
    requestedAt: string;
    respondBy: string;
    /** The directory service referred to, and the area it is delivered in (for the coordinator's reports). */
    serviceId?: string;
    area?: string;
    /** The declined referral this one replaces, with another agency. */
    reReferralOf?: string;
  }
>;

type ReferralStep<Type extends string, Extra = object> = Event<Type, { referralId: string; by: string; at: string } & Extra>;
export type ReferralAcknowledged = ReferralStep<'ReferralAcknowledged'>;
export type ReferralAccepted = ReferralStep<'ReferralAccepted'>;
export type ReferralDeclined = ReferralStep<'ReferralDeclined', { reason: DeclineReason; note?: Sealed }>;
export type ReferralCompleted = ReferralStep<'ReferralCompleted', { outcome: Sealed }>;
export type ReferralWithdrawn = ReferralStep<'ReferralWithdrawn', { cause: ReferralWithdrawalCause }>;
/** While the case is paused its open referrals wait: nothing is lost, and no agency chases the person. */
export type ReferralPutOnHold = ReferralStep<'ReferralPutOnHold'>;
/** The clock the recipient answers by restarts with the time it had left when the case paused. */
export type ReferralResumed = ReferralStep<'ReferralResumed', { respondBy: string }>;

type CaseStep<Type extends string, Extra = object> = Event<Type, { by: string; at: string } & Extra>;
export type CaseInterrupted = CaseStep<'CaseInterrupted', { reason: InterruptionReason; note?: Sealed }>;
export type CaseResumed = CaseStep<'CaseResumed'>;
export type CaseClosed = CaseStep<'CaseClosed', { reason: ClosureReason }>;
export type CaseReopened = CaseStep<'CaseReopened'>;

type DeterminationStep<Type extends string, Extra = object> = Event<Type, { determinationId: string; by: string; at: string } & Extra>;
/** Proposed by `by`, the qualified person who decides; it permits nothing until someone else approves it. */
export type BestInterestsDeterminationProposed = DeterminationStep<
  'BestInterestsDeterminationProposed',
  {
    /** Every entry has a `validUntil`: a decision made for a child is reviewed, never open-ended. */
    scope: readonly DisclosureGrant[];
    reasons: Sealed;
  }
>;
/** Approved by `by`, who is not `decidedBy` (the proposer): the second pair of eyes. */
export type BestInterestsDetermined = DeterminationStep<'BestInterestsDetermined', { decidedBy: string }>;
export type BestInterestsDeterminationRejected = DeterminationStep<'BestInterestsDeterminationRejected'>;

/** Screening with the person's consent (seed 002, step 2): more indicators may be observed. */
export type ScreeningRecorded = CaseStep<'ScreeningRecorded', { outcome: ScreeningOutcome; indicators: readonly IndicatorCode[] }>;
/** By the owner's own trained staff, or by the agency that accepted the referral for the in-depth interview (`referralId`). */
export type IdentificationRecorded = CaseStep<
  'IdentificationRecorded',
  { outcome: IdentificationOutcome; agencyId: string; referralId?: string }
>;
/** Intake: the caseworker who manages the case from now on. */
export type IntakeRecorded = CaseStep<'IntakeRecorded', { caseworkerId: string }>;
/** A new version of the case plan replaces the last; the plan itself is sealed. */
export type CasePlanRecorded = CaseStep<'CasePlanRecorded', { servicesNeeded: readonly ServiceType[]; plan: Sealed }>;
/** The plan (with the risk level) is sealed as the `safety` category, shared only where consent covers it. */
export type SafetyAssessed = CaseStep<'SafetyAssessed', { riskLevel: RiskLevel; plan: Sealed }>;

export type SafetyFlagRaised = CaseStep<'SafetyFlagRaised', { flag: SafetyFlag }>;
export type SafetyFlagLifted = CaseStep<'SafetyFlagLifted', { flag: SafetyFlag }>;

/** A request to erase the case's personal data; nothing is erased until someone else approves it. */
export type ErasureRequested = CaseStep<'ErasureRequested', { requestId: string; reason: ErasureReason }>;
/** A second person turned the request down: nothing is erased, and a new request may be made. */
export type ErasureRequestRejected = CaseStep<'ErasureRequestRejected', { requestId: string }>;
/**
 * The case's data key is destroyed after this event, so every sealed value in every event, replay
 * and backup becomes unreadable; the metadata (this trail) stays. `by` approved it; for retention
 * the configured period did, and `by` is the retention job.
 */
export type CaseErased = CaseStep<'CaseErased', { requestId: string; reason: ErasureReason; requestedBy: string }>;

export type CaseEvent =
  | CaseOpened
  | ConsentGiven
  | ConsentWithdrawn
  | ReferralRequested
  | ReferralAcknowledged
  | ReferralAccepted
  | ReferralDeclined
  | ReferralCompleted
  | ReferralWithdrawn
  | ReferralPutOnHold
  | ReferralResumed
  | ScreeningRecorded
  | IdentificationRecorded
  | IntakeRecorded
  | CasePlanRecorded
  | SafetyAssessed
  | CaseInterrupted
  | CaseResumed
  | CaseClosed
  | CaseReopened
  | BestInterestsDeterminationProposed
  | BestInterestsDetermined
  | BestInterestsDeterminationRejected
  | SafetyFlagRaised
  | SafetyFlagLifted
  | ErasureRequested
  | ErasureRequestRejected
  | CaseErased;

/**
 * Version of the event payloads above, written into every event's metadata. 2: a referral's legal
 * basis may be a best-interests determination; determination and safety-flag events. 3: the case
 * path (screening, identification, intake, plans), referral hold, re-referral and directory service.
 * 4: the rejection of an erasure request.
 */
export const CASE_EVENT_SCHEMA_VERSION = 4;
