import { instantOrNaN as instant } from '../../time/index.js';
import { SAFETY_FLAG_EFFECTS, type SafetyFlag, type SafetyFlagEffect } from './safety-flags.js';
import { type BasisNeeded, basisNeeded } from './judicial-cooperation.js';
import type { AgencyKind, ConsentGrantor, DataCategory, Purpose, ServiceType } from './vocabulary.js';

/**
 * Who a provision is given to: one named agency, or every agency of a kind ("any shelter").
 * There is deliberately no "all agencies": consent names who receives the data.
 */
export type ConsentRecipient = { readonly agencyId: string } | { readonly agencyKind: AgencyKind };

/**
 * What one consent provision, or one entry of a best-interests determination's scope, allows:
 * exactly one purpose, so purposes are never bundled (DOMAIN.md: "separate purposes get separate consent").
 */
export interface DisclosureGrant {
  readonly recipient: ConsentRecipient;
  readonly purpose: Purpose;
  /** Only for `service_provision`: the services agreed to; empty means none. */
  readonly serviceTypes: readonly ServiceType[];
  readonly categories: readonly DataCategory[];
  /** ISO 8601 instants; `validUntil` absent means until withdrawn. */
  readonly validFrom: string;
  readonly validUntil?: string;
}

/** One separately agreed, separately withdrawable permission. */
export interface ConsentProvision extends DisclosureGrant {
  readonly provisionId: string;
}

/** A consent's provisions and when each was withdrawn, if it was: all that liveness depends on. */
export interface ConsentProvisions {
  readonly consentId: string;
  readonly provisions: readonly ConsentProvision[];
  /** provisionId -> ISO instant of withdrawal. */
  readonly withdrawals: Readonly<Record<string, string>>;
}

/** A consent as the policy needs it: who gave it matters for a child. */
export interface ConsentRecord extends ConsentProvisions {
  readonly grantor: ConsentGrantor;
  readonly childAssent?: boolean;
}

/**
 * An approved best-interests determination for a child: one person decided it, another approved
 * it. Its reasons stay sealed in the case; the policy needs only who, when and the scope.
 */
export interface BestInterestsDetermination {
  readonly determinationId: string;
  readonly decidedBy: string;
  readonly approvedBy: string;
  readonly approvedAt: string;
  readonly scope: readonly DisclosureGrant[];
}

/** What the policy knows of one case. */
export interface ConsentSubject {
  readonly owningAgencyId: string;
  readonly treatedAsChild: boolean;
  readonly consents: readonly ConsentRecord[];
  /** Approved determinations only. */
  readonly bestInterests: readonly BestInterestsDetermination[];
  /** The flags currently raised. */
  readonly safetyFlags: readonly SafetyFlag[];
  readonly erased: boolean;
}

export interface Recipient {
  readonly agencyId: string;
  readonly agencyKind: AgencyKind;
}

export interface DisclosureRequest {
  readonly recipient: Recipient;
  readonly purpose: Purpose;
  /** Required when purpose is `service_provision`. */
  readonly serviceType?: ServiceType;
  readonly category: DataCategory;
  /** ISO 8601 instant the decision is for; the policy never reads a clock. */
  readonly at: string;
}

export type PolicyBasis =
  | { readonly kind: 'owner' }
  | { readonly kind: 'consent'; readonly consentId: string; readonly provisionId: string }
  | { readonly kind: 'best_interests'; readonly determinationId: string };

/** Which rule denied: callers choose their answer by it, the reason is for people. */
export type DenialRule = 'erased' | 'incomplete_request' | 'judicial_cooperation' | 'safety_flag' | 'no_basis';

/** A denial's reason names rules and vocabulary words only: it may reach logs and other agencies. */
export type PolicyDecision =
  | { readonly permitted: true; readonly basis: PolicyBasis }
  | { readonly permitted: false; readonly rule: DenialRule; readonly reason: string };

/**
 * Deny by default. Nothing of an erased case, to anyone; the owner sees its own case; any other
 * agency needs a live consent provision (usable for this case) or an approved best-interests
 * determination that covers recipient, purpose, service and category at `at`, and no raised
 * safety flag withholding it. Consent is tried first: the person's own word before a decision
 * made for them.
 */
export function permits(subject: ConsentSubject, request: DisclosureRequest): PolicyDecision {
  if (subject.erased) return deny('erased', 'the case is erased');
  if (request.purpose === 'service_provision' && !request.serviceType)
    return deny('incomplete_request', 'service_provision needs a service type');
  const needed = basisNeeded(request.purpose, request.recipient, subject.treatedAsChild);
  if (needed.refusal !== undefined) return deny('judicial_cooperation', needed.refusal);
  if (request.recipient.agencyId === subject.owningAgencyId) return { permitted: true, basis: { kind: 'owner' } };
  if (subject.safetyFlags.some((flag) => withholds(SAFETY_FLAG_EFFECTS[flag], request))) {
    // The flag is not named: which risk the person faces is itself sensitive.
    return deny('safety_flag', `a safety flag on the case withholds ${describe(request)} from other agencies`);
  }
  const t = instant(request.at);
  for (const consent of usableConsents(subject, needed)) {
    const provision = consent.provisions.find((p) => covers(p, request, needed) && isLive(consent, p, request.at));
    if (provision) return { permitted: true, basis: { kind: 'consent', consentId: consent.consentId, provisionId: provision.provisionId } };
  }
  const determination = usableDeterminations(subject, needed).find(
    (d) => instant(d.approvedAt) <= t && d.scope.some((grant) => covers(grant, request, needed) && inEffect(grant, t)),
  );
  if (determination) return { permitted: true, basis: { kind: 'best_interests', determinationId: determination.determinationId } };
  return deny(
    'no_basis',
    `no live consent${subject.treatedAsChild ? ' or approved best-interests determination' : ''} covers ${describe(request)} to this agency`,
  );
}

const deny = (rule: DenialRule, reason: string): PolicyDecision => ({ permitted: false, rule, reason });

const describe = (request: DisclosureRequest): string =>
  `${request.category} for ${request.purpose}${request.serviceType ? ` (${request.serviceType})` : ''}`;

function withholds(effect: SafetyFlagEffect, request: DisclosureRequest): boolean {
  return (
    (effect.categories?.includes(request.category) ?? false) ||
    (effect.purposes?.includes(request.purpose) ?? false) ||
    (request.serviceType !== undefined && (effect.serviceTypes?.includes(request.serviceType) ?? false)) ||
    (effect.agencyKinds?.includes(request.recipient.agencyKind) ?? false)
  );
}

/** A guardian's consent stops counting for a child while a flag says the guardian cannot speak for the child. */
function usableConsents(subject: ConsentSubject, needed: BasisNeeded): readonly ConsentRecord[] {
  switch (needed.consent) {
    case 'any':
      return subject.consents;
    case 'none':
      return [];
    case 'guardian_with_child_assent':
      if (subject.safetyFlags.some((flag) => SAFETY_FLAG_EFFECTS[flag].voidsGuardianConsent)) return [];
      return subject.consents.filter((c) => c.grantor === 'guardian' && c.childAssent === true);
  }
}

/** A determination stands in for consent only with a second approver. */
function usableDeterminations(subject: ConsentSubject, needed: BasisNeeded): readonly BestInterestsDetermination[] {
  return needed.bestInterests ? subject.bestInterests.filter((d) => d.approvedBy !== d.decidedBy) : [];
}

function covers(grant: DisclosureGrant, request: DisclosureRequest, needed: BasisNeeded): boolean {
  return (
    namesRecipient(grant.recipient, request.recipient) &&
    grant.purpose === request.purpose &&
    (!needed.namedAgency || 'agencyId' in grant.recipient) &&
    (request.purpose !== 'service_provision' || grant.serviceTypes.includes(request.serviceType!)) &&
    grant.categories.includes(request.category)
  );
}

/** Whether a grant's recipient (an agency by id, or every agency of a kind) is this agency. */
export function namesRecipient(named: ConsentRecipient, recipient: Recipient): boolean {
  return 'agencyId' in named ? named.agencyId === recipient.agencyId : named.agencyKind === recipient.agencyKind;
}

/**
 * Started and not expired at `t` (ms since the epoch). Read by the service's one strict reader; what
 * it cannot read is NaN, which compares false, so it permits nothing.
 */
function inEffect(grant: DisclosureGrant, t: number): boolean {
  return instant(grant.validFrom) <= t && (grant.validUntil === undefined || t < instant(grant.validUntil));
}

/** Live at `at`: started, not expired, not withdrawn at or before `at`. */
export function isLive(consent: ConsentProvisions, provision: ConsentProvision, at: string): boolean {
  const t = instant(at);
  const withdrawnAt = consent.withdrawals[provision.provisionId];
  return inEffect(provision, t) && (withdrawnAt === undefined || t < instant(withdrawnAt));
}
