import type { ConsentRecord, SafetyFlag } from '../../../consent-policy/index.js';
import type {
  AgeGroup,
  BestInterestsDeterminationProposed,
  BestInterestsDetermined,
  CaseEvent,
  ConsentGiven,
  IdentificationOutcome,
  ReferralRequested,
  ScreeningOutcome,
  Urgency,
} from '../events.js';
import type { IndicatorCode } from '../indicators.js';

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
      readonly erasureRequest?: {
        readonly requestId: string;
        readonly requestedBy: string;
        readonly reason: ErasureReasonOf<'ErasureRequested'>;
      };
      readonly erased: boolean;
    };
export type ErasureReasonOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>['data'] extends { reason: infer R } ? R : never;
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
export const isAwaitingAnswer = (status: ReferralStatus): boolean => (AWAITING_ANSWER as readonly ReferralStatus[]).includes(status);
export const isOpenReferral = (status: ReferralStatus): boolean => OPEN_REFERRAL.includes(status);
export const openReferrals = (state: ExistingCase): ReferralState[] =>
  Object.values(state.referrals).filter(({ status }) => isOpenReferral(status));

/** Children, those who say they are and those who may be are treated as children (DOMAIN.md). */
export const treatedAsChild = (ageGroup: AgeGroup): boolean => ageGroup !== 'adult';

/** Response deadlines by urgency, in hours. */
export const RESPONSE_HOURS: Readonly<Record<Urgency, number>> = { immediate: 24, high: 72, normal: 168 };
