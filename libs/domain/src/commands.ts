import type {
  AgencyKind,
  ConsentProvision,
  DataCategory,
  DisclosureGrant,
  Purpose,
  SafetyFlag,
  ServiceType,
} from '../../consent-policy/index.js';
import type {
  AgeGroup,
  CasePersonalData,
  CaseSource,
  ClosureReason,
  ConsentGrantor,
  ConsentMethod,
  DeclineReason,
  ErasureReason,
  IdentificationOutcome,
  InterruptionReason,
  RiskLevel,
  ScreeningOutcome,
  Sealed,
  Urgency,
} from './events.js';
import type { IndicatorCode } from './indicators.js';
import type { Unavailable } from './service-match.js';

/** Who acts, as the identity layer established it. */
export interface Actor {
  readonly userId: string;
  readonly agencyId: string;
  readonly agencyKind: AgencyKind;
}

/** Every command says who acts and when (ISO 8601): the decider reads no clock. */
type Command<Type extends string, Data = object> = { readonly type: Type; readonly actor: Actor; readonly at: string } & Readonly<Data>;

export type OpenCase = Command<
  'OpenCase',
  {
    caseId: string;
    source: CaseSource;
    indicators: readonly IndicatorCode[];
    ageGroup: AgeGroup;
    personalData: CasePersonalData;
  }
>;
export type GiveConsent = Command<
  'GiveConsent',
  {
    consentId: string;
    grantor: ConsentGrantor;
    childAssent?: boolean;
    method: ConsentMethod;
    language: string;
    interpreterUsed: boolean;
    noticeVersion: string;
    provisions: readonly ConsentProvision[];
  }
>;
/** Without `provisionIds`, the whole consent is withdrawn. */
export type WithdrawConsent = Command<'WithdrawConsent', { consentId: string; provisionIds?: readonly string[] }>;
export type RequestReferral = Command<
  'RequestReferral',
  {
    referralId: string;
    recipient: { readonly agencyId: string; readonly agencyKind: AgencyKind };
    purpose: Purpose;
    serviceType?: ServiceType;
    urgency: Urgency;
    sharedCategories: readonly DataCategory[];
    note?: Sealed;
    /**
     * What the service directory says of the recipient for the service needed: the service and
     * area the referral goes to, or why it cannot take it (absent when the purpose needs no service).
     */
    directory?: { readonly serviceId: string; readonly area?: string } | Unavailable;
    reReferralOf?: string;
  }
>;
export type AcknowledgeReferral = Command<'AcknowledgeReferral', { referralId: string }>;
export type AcceptReferral = Command<'AcceptReferral', { referralId: string }>;
export type DeclineReferral = Command<'DeclineReferral', { referralId: string; reason: DeclineReason; note?: Sealed }>;
export type CompleteReferral = Command<'CompleteReferral', { referralId: string; outcome: Sealed }>;
export type WithdrawReferral = Command<'WithdrawReferral', { referralId: string }>;
export type RecordScreening = Command<'RecordScreening', { outcome: ScreeningOutcome; indicators: readonly IndicatorCode[] }>;
export type RecordIdentification = Command<'RecordIdentification', { outcome: IdentificationOutcome; referralId?: string }>;
/** `caseworkerIsStaff`: the application found the caseworker to be an active caseworker or supervisor of the actor's agency. */
export type RecordIntake = Command<'RecordIntake', { caseworkerId: string; caseworkerIsStaff: boolean }>;
export type RecordCasePlan = Command<'RecordCasePlan', { servicesNeeded: readonly ServiceType[]; plan: Sealed }>;
/** Flags raised with the assessment narrow sharing in the same decision. */
export type AssessSafety = Command<'AssessSafety', { riskLevel: RiskLevel; plan: Sealed; flags: readonly SafetyFlag[] }>;
export type InterruptCase = Command<'InterruptCase', { reason: InterruptionReason; note?: Sealed }>;
export type ResumeCase = Command<'ResumeCase'>;
export type CloseCase = Command<'CloseCase', { reason: ClosureReason }>;
export type ReopenCase = Command<'ReopenCase'>;

/** For a case treated as a child; the scope is what the determination lets the owner share, like consent provisions. */
export type ProposeBestInterestsDetermination = Command<
  'ProposeBestInterestsDetermination',
  {
    determinationId: string;
    scope: readonly DisclosureGrant[];
    reasons: Sealed;
  }
>;
/** The HTTP layer admits supervisors only; the decider refuses the proposer. */
export type ApproveBestInterestsDetermination = Command<'ApproveBestInterestsDetermination', { determinationId: string }>;
export type RejectBestInterestsDetermination = Command<'RejectBestInterestsDetermination', { determinationId: string }>;
export type RaiseSafetyFlag = Command<'RaiseSafetyFlag', { flag: SafetyFlag }>;
export type LiftSafetyFlag = Command<'LiftSafetyFlag', { flag: SafetyFlag }>;

export type RequestErasure = Command<'RequestErasure', { requestId: string; reason: Exclude<ErasureReason, 'retention'> }>;
/** By a different person of the owning agency, or by a network coordinator (`asCoordinator`, set from the role). */
export type ApproveErasure = Command<'ApproveErasure', { requestId: string; asCoordinator: boolean }>;
/** Turns a waiting request down; the same people as `ApproveErasure` may. */
export type RejectErasure = Command<'RejectErasure', { requestId: string; asCoordinator: boolean }>;
/** The retention job: a case closed on or before `closedBefore` is erased without a request. */
export type EraseForRetention = Command<'EraseForRetention', { requestId: string; closedBefore: string }>;
/** The consent-expiry process, for the owning agency: withdraws at `at` every open referral whose cover lapsed by then. */
export type ExpireLapsedConsent = Command<'ExpireLapsedConsent'>;

export type CaseCommand =
  | OpenCase
  | GiveConsent
  | WithdrawConsent
  | RequestReferral
  | AcknowledgeReferral
  | AcceptReferral
  | DeclineReferral
  | CompleteReferral
  | WithdrawReferral
  | RecordScreening
  | RecordIdentification
  | RecordIntake
  | RecordCasePlan
  | AssessSafety
  | InterruptCase
  | ResumeCase
  | CloseCase
  | ReopenCase
  | ProposeBestInterestsDetermination
  | ApproveBestInterestsDetermination
  | RejectBestInterestsDetermination
  | RaiseSafetyFlag
  | LiftSafetyFlag
  | RequestErasure
  | ApproveErasure
  | RejectErasure
  | EraseForRetention
  | ExpireLapsedConsent;
