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

/**
 * Why a referral cannot go to an agency: 422 for what it never offers, 409 for what it cannot take now.
 * The facts in codes (for screens to word in their own language) and `reason`, the same in English,
 * worded from them by `unavailableInWords`.
 */
export type UnavailableFacts =
  | { readonly kind: 'agency_inactive' }
  /** `where`: what narrowed the search, when the referrer named it (the area is the caller's text: it is not echoed back). */
  | { readonly kind: 'not_offered'; readonly serviceType: ServiceType; readonly where?: 'service' | 'area' }
  | { readonly kind: 'closed'; readonly serviceType: ServiceType; readonly status: Exclude<OfferFacts['status'], 'active'> }
  | {
      readonly kind: 'full';
      readonly serviceType: ServiceType;
      readonly capacity?: { readonly total: number; readonly available: number };
    };

export type Unavailable = UnavailableFacts & { readonly reason: string };

const label = (serviceType: ServiceType) => serviceType.replaceAll('_', ' ');

export function unavailableInWords(facts: UnavailableFacts): string {
  switch (facts.kind) {
    case 'agency_inactive':
      return 'the agency is no longer an active member of the network';
    case 'not_offered': {
      const where = facts.where === 'service' ? ' at the service named' : facts.where === 'area' ? ' in the area named' : '';
      return `the agency does not offer ${label(facts.serviceType)}${where}`;
    }
    case 'closed':
      return `the agency's ${label(facts.serviceType)} service is ${facts.status}`;
    case 'full':
      return `the agency's ${label(facts.serviceType)} service is full (no places available)`;
  }
}

const unavailable = (facts: UnavailableFacts): Unavailable => ({ ...facts, reason: unavailableInWords(facts) });

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
  if (offers.length > 0 && offers.every((o) => !o.agencyActive)) return unavailable({ kind: 'agency_inactive' });
  if (candidates.length === 0) {
    const where = wanted.serviceId !== undefined ? 'service' : wanted.area !== undefined ? 'area' : undefined;
    return unavailable({ kind: 'not_offered', serviceType, ...(where ? { where } : {}) });
  }
  const open = candidates.filter((o) => o.status === 'active');
  const closed = candidates[0]!.status;
  if (open.length === 0 && closed !== 'active') return unavailable({ kind: 'closed', serviceType, status: closed });
  const withRoom = open.filter((o) => !o.capacity || o.capacity.available > 0);
  if (withRoom.length === 0) {
    const capacity = open.find((o) => o.capacity)?.capacity;
    return unavailable({ kind: 'full', serviceType, ...(capacity ? { capacity } : {}) });
  }
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

/**
 * One rule of a service's eligibility the person falls outside, with what the service accepts, in
 * codes (sexes as the directory names them, ISO 639 languages): for screens to word in their own
 * language; `eligibilityGapInWords` is the same in English.
 */
export type EligibilityGap =
  | { readonly rule: 'children' }
  | { readonly rule: 'sex'; readonly accepted: readonly string[] }
  | { readonly rule: 'minimum_age'; readonly age: number }
  | { readonly rule: 'maximum_age'; readonly age: number }
  | { readonly rule: 'language'; readonly accepted: readonly string[] };

/** Why the person falls outside the service's eligibility; empty when eligible as far as is known. */
export function eligibilityGapsOf(offer: OfferFacts, person: PersonFacts): EligibilityGap[] {
  const { sexes, minimumAge, maximumAge, childrenAccepted, languages } = offer.eligibility;
  const gaps: EligibilityGap[] = [];
  if (person.treatedAsChild && !childrenAccepted) gaps.push({ rule: 'children' });
  if (person.sex !== undefined && sexes.length > 0 && !sexes.includes(person.sex)) gaps.push({ rule: 'sex', accepted: sexes });
  if (person.age && minimumAge !== undefined && (person.age.to ?? Infinity) < minimumAge)
    gaps.push({ rule: 'minimum_age', age: minimumAge });
  if (person.age && maximumAge !== undefined && person.age.from > maximumAge) gaps.push({ rule: 'maximum_age', age: maximumAge });
  if (person.languages?.length && languages.length > 0 && !person.languages.some((l) => languages.includes(l)))
    gaps.push({ rule: 'language', accepted: languages });
  return gaps;
}

export function eligibilityGapInWords(gap: EligibilityGap): string {
  switch (gap.rule) {
    case 'children':
      return 'does not accept children';
    case 'sex':
      return `accepts ${gap.accepted.join(' and ')} only`;
    case 'minimum_age':
      return `minimum age ${gap.age}`;
    case 'maximum_age':
      return `maximum age ${gap.age}`;
    case 'language':
      return 'no language in common';
  }
}

/** The gaps in English, as partners read them. */
export const eligibilityGaps = (offer: OfferFacts, person: PersonFacts): string[] =>
  eligibilityGapsOf(offer, person).map(eligibilityGapInWords);

/** An age band of the demographics category ("18-24", "60+", "unknown") as a range. */
export function ageRangeOf(band: string | undefined): PersonFacts['age'] {
  const match = band ? /^(\d+)(?:-(\d+)|\+)$/.exec(band) : null;
  if (!match) return undefined;
  return { from: Number(match[1]), ...(match[2] !== undefined ? { to: Number(match[2]) } : {}) };
}

const sameArea = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
const servesArea = (offer: OfferFacts, area: string) => offer.areas.some((a) => sameArea(a, area));
