import type { AgencyKind, ConsentProvision, DataCategory, Purpose, ServiceType } from '../../consent-policy/index.js';
import type {
  AgeGroup, CasePersonalData, CaseSource, ClosureReason, ConsentGrantor, ConsentMethod, DeclineReason,
  InterruptionReason, Sealed, Urgency,
} from './events.js';
import type { IndicatorCode } from './indicators.js';

/** Who acts, as the identity layer established it. */
export interface Actor {
  readonly userId: string;
  readonly agencyId: string;
  readonly agencyKind: AgencyKind;
}

/** Every command says who acts and when (ISO 8601): the decider reads no clock. */
type Command<Type extends string, Data = object> = { readonly type: Type; readonly actor: Actor; readonly at: string } & Readonly<Data>;

export type OpenCase = Command<'OpenCase', {
  caseId: string;
  source: CaseSource;
  indicators: readonly IndicatorCode[];
  ageGroup: AgeGroup;
  personalData: CasePersonalData;
}>;
export type GiveConsent = Command<'GiveConsent', {
  consentId: string;
  grantor: ConsentGrantor;
  childAssent?: boolean;
  method: ConsentMethod;
  language: string;
  interpreterUsed: boolean;
  noticeVersion: string;
  provisions: readonly ConsentProvision[];
}>;
/** Without `provisionIds`, the whole consent is withdrawn. */
export type WithdrawConsent = Command<'WithdrawConsent', { consentId: string; provisionIds?: readonly string[] }>;
export type RequestReferral = Command<'RequestReferral', {
  referralId: string;
  recipient: { readonly agencyId: string; readonly agencyKind: AgencyKind };
  purpose: Purpose;
  serviceType?: ServiceType;
  urgency: Urgency;
  sharedCategories: readonly DataCategory[];
  note?: Sealed;
}>;
export type AcknowledgeReferral = Command<'AcknowledgeReferral', { referralId: string }>;
export type AcceptReferral = Command<'AcceptReferral', { referralId: string }>;
export type DeclineReferral = Command<'DeclineReferral', { referralId: string; reason: DeclineReason; note?: Sealed }>;
export type CompleteReferral = Command<'CompleteReferral', { referralId: string; outcome: Sealed }>;
export type WithdrawReferral = Command<'WithdrawReferral', { referralId: string }>;
export type InterruptCase = Command<'InterruptCase', { reason: InterruptionReason; note?: Sealed }>;
export type ResumeCase = Command<'ResumeCase'>;
export type CloseCase = Command<'CloseCase', { reason: ClosureReason }>;
export type ReopenCase = Command<'ReopenCase'>;

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
  | InterruptCase
  | ResumeCase
  | CloseCase
  | ReopenCase;
