import type { AgencyKind, DataCategory, Purpose, ServiceType } from './vocabulary.js';

/**
 * Who a provision is given to: one named agency, or every agency of a kind ("any shelter").
 * There is deliberately no "all agencies": consent names who receives the data.
 */
export type ConsentRecipient = { readonly agencyId: string } | { readonly agencyKind: AgencyKind };

/**
 * One separately agreed, separately withdrawable permission: exactly one purpose, so purposes are
 * never bundled (DOMAIN.md: "separate purposes get separate consent").
 */
export interface ConsentProvision {
  readonly provisionId: string;
  readonly recipient: ConsentRecipient;
  readonly purpose: Purpose;
  /** Only for `service_provision`: the services the person agreed to be referred for; empty means none. */
  readonly serviceTypes: readonly ServiceType[];
  readonly categories: readonly DataCategory[];
  /** ISO 8601 instants; `validUntil` absent means until withdrawn. */
  readonly validFrom: string;
  readonly validUntil?: string;
}

/** A consent as the policy needs it: the provisions and when each was withdrawn, if it was. */
export interface ConsentRecord {
  readonly consentId: string;
  readonly provisions: readonly ConsentProvision[];
  /** provisionId -> ISO instant of withdrawal. */
  readonly withdrawals: Readonly<Record<string, string>>;
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

export type PolicyDecision =
  | { readonly permitted: true; readonly basis: { readonly consentId: string; readonly provisionId: string } }
  | { readonly permitted: false; readonly reason: string };

/** Deny by default: a permit needs one live provision that covers recipient, purpose, service and category at `at`. */
export function permits(consents: readonly ConsentRecord[], request: DisclosureRequest): PolicyDecision {
  if (request.purpose === 'service_provision' && !request.serviceType) {
    return { permitted: false, reason: 'service_provision needs a service type' };
  }
  for (const consent of consents) {
    for (const provision of consent.provisions) {
      if (covers(provision, request) && isLive(consent, provision, request.at)) {
        return { permitted: true, basis: { consentId: consent.consentId, provisionId: provision.provisionId } };
      }
    }
  }
  return {
    permitted: false,
    reason: `no live consent covers ${request.category} for ${request.purpose}${request.serviceType ? ` (${request.serviceType})` : ''} to this agency`,
  };
}

function covers(provision: ConsentProvision, request: DisclosureRequest): boolean {
  return (
    namesRecipient(provision.recipient, request.recipient) &&
    provision.purpose === request.purpose &&
    (request.purpose !== 'service_provision' || provision.serviceTypes.includes(request.serviceType!)) &&
    provision.categories.includes(request.category)
  );
}

function namesRecipient(named: ConsentRecipient, recipient: Recipient): boolean {
  return 'agencyId' in named ? named.agencyId === recipient.agencyId : named.agencyKind === recipient.agencyKind;
}

/** Live at `at`: started, not expired, not withdrawn at or before `at`. */
export function isLive(consent: ConsentRecord, provision: ConsentProvision, at: string): boolean {
  const t = Date.parse(at);
  const withdrawnAt = consent.withdrawals[provision.provisionId];
  return (
    Date.parse(provision.validFrom) <= t &&
    (provision.validUntil === undefined || t < Date.parse(provision.validUntil)) &&
    (withdrawnAt === undefined || t < Date.parse(withdrawnAt))
  );
}
