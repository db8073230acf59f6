import type { Purpose, ServiceType } from '../../consent-policy/index.js';

/**
 * What the service directory says of one service, as far as referring to it goes. The directory
 * itself (HSDS) is outside the domain; these rules decide whether a referral can go there and
 * whether a person is eligible, from facts handed in.
 */
export interface OfferFacts {
  readonly serviceId: string;
  readonly agencyActive: boolean;
  readonly status: 'active' | 'inactive' | 'defunct' | 'temporarily closed';
  readonly areas: readonly string[];
  readonly eligibility: {
    readonly sexes: readonly string[];
    readonly minimumAge?: number;
    readonly maximumAge?: number;
    readonly childrenAccepted: boolean;
    /** ISO 639 codes. */
    readonly languages: readonly string[];
  };
  /** Where capacity matters (e.g. shelter beds); absent otherwise. */
  readonly capacity?: { readonly total: number; readonly available: number };
}

/** The directory service a referral for a purpose needs, if any (a case-management or law-enforcement referral needs none). */
export function directoryServiceFor(purpose: Purpose, serviceType: ServiceType | undefined): ServiceType | undefined {
  if (purpose === 'service_provision') return serviceType;
  if (purpose === 'legal_assistance') return 'legal_assistance';
  if (purpose === 'family_tracing') return 'family_tracing_and_reunification';
  return undefined;
}

// What law-enforcement and prosecution agencies may offer is a rule of judicial cooperation: its home is the consent policy.
export { judicialServiceRefusal, mayOffer } from '../../consent-policy/index.js';

/** Why a referral cannot go to an agency: 422 for what it never offers, 409 for what it cannot take now. */
export interface Unavailable {
  readonly kind: 'not_offered' | 'agency_inactive' | 'closed' | 'full';
  readonly reason: string;
}

const label = (serviceType: ServiceType) => serviceType.replaceAll('_', ' ');

/**
 * The agency's service a referral can go to now, or why none can. `wanted` narrows to one service
 * and one area when the referrer named them.
 */
export function referralTarget(
  offers: readonly OfferFacts[],
  serviceType: ServiceType,
  wanted: { readonly serviceId?: string; readonly area?: string } = {},
): { readonly offer: OfferFacts; readonly area?: string } | Unavailable {
  const candidates = offers.filter(
    (o) =>
      (wanted.serviceId === undefined || o.serviceId === wanted.serviceId) && (wanted.area === undefined || servesArea(o, wanted.area)),
  );
  if (offers.length > 0 && offers.every((o) => !o.agencyActive))
    return { kind: 'agency_inactive', reason: 'the agency is no longer an active member of the network' };
  if (candidates.length === 0) {
    // The area is the caller's text: it is not echoed back.
    const where = wanted.serviceId !== undefined ? ' at the service named' : wanted.area !== undefined ? ' in the area named' : '';
    return { kind: 'not_offered', reason: `the agency does not offer ${label(serviceType)}${where}` };
  }
  const open = candidates.filter((o) => o.status === 'active');
  if (open.length === 0) return { kind: 'closed', reason: `the agency's ${label(serviceType)} service is ${candidates[0]!.status}` };
  const withRoom = open.filter((o) => !o.capacity || o.capacity.available > 0);
  if (withRoom.length === 0) return { kind: 'full', reason: `the agency's ${label(serviceType)} service is full (no places available)` };
  const offer = withRoom[0]!;
  const area =
    wanted.area !== undefined ? offer.areas.find((a) => sameArea(a, wanted.area!)) : offer.areas.length === 1 ? offer.areas[0] : undefined;
  return { offer, ...(area !== undefined ? { area } : {}) };
}

export const isUnavailable = (target: object): target is Unavailable => 'kind' in target;

/** What is known of the person for eligibility; each fact may be unknown, and an unknown fact excludes nothing. */
export interface PersonFacts {
  readonly treatedAsChild: boolean;
  readonly sex?: string;
  /** Inclusive age range, e.g. from an age band "18-24". */
  readonly age?: { readonly from: number; readonly to?: number };
  readonly languages?: readonly string[];
}

/** Why the person falls outside the service's eligibility; empty when eligible as far as is known. */
export function eligibilityGaps(offer: OfferFacts, person: PersonFacts): string[] {
  const { sexes, minimumAge, maximumAge, childrenAccepted, languages } = offer.eligibility;
  const gaps: string[] = [];
  if (person.treatedAsChild && !childrenAccepted) gaps.push('does not accept children');
  if (person.sex !== undefined && sexes.length > 0 && !sexes.includes(person.sex)) gaps.push(`accepts ${sexes.join(' and ')} only`);
  if (person.age && minimumAge !== undefined && (person.age.to ?? Infinity) < minimumAge) gaps.push(`minimum age ${minimumAge}`);
  if (person.age && maximumAge !== undefined && person.age.from > maximumAge) gaps.push(`maximum age ${maximumAge}`);
  if (person.languages?.length && languages.length > 0 && !person.languages.some((l) => languages.includes(l)))
    gaps.push('no language in common');
  return gaps;
}

/** An age band of the demographics category ("18-24", "60+", "unknown") as a range. */
export function ageRangeOf(band: string | undefined): PersonFacts['age'] {
  const match = band ? /^(\d+)(?:-(\d+)|\+)$/.exec(band) : null;
  if (!match) return undefined;
  return { from: Number(match[1]), ...(match[2] !== undefined ? { to: Number(match[2]) } : {}) };
}

const sameArea = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
const servesArea = (offer: OfferFacts, area: string) => offer.areas.some((a) => sameArea(a, area));
