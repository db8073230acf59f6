import type { AgencyKind, ServiceType } from '../../libs/consent-policy/index.js';
import type { OfferFacts } from '../../libs/domain/index.js';

/** The task-force subcommittees a member agency sits on (DOMAIN.md: the Borno task force). */
export const SUBCOMMITTEES = ['prevention', 'protection', 'prosecution'] as const;
export type Subcommittee = (typeof SUBCOMMITTEES)[number];

/** Open Referral HSDS 3.0 service status. */
export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** The sexes a service may restrict itself to; none listed means any. */
export const ELIGIBLE_SEXES = ['female', 'male'] as const;
export type EligibleSex = (typeof ELIGIBLE_SEXES)[number];

/** Who a service accepts: the domain's eligibility facts, with the directory's own vocabulary of sexes. */
export type ServiceEligibility = OfferFacts['eligibility'] & { readonly sexes: readonly EligibleSex[] };

/** What the directory says about a member agency beyond identity's name, kind and active flag. */
export interface AgencyProfile {
  readonly description: string;
  readonly subcommittees: readonly Subcommittee[];
  readonly areasServed: readonly string[];
}

/**
 * What an HSDS record carried beyond the fields the directory keeps in its own columns (phones,
 * e-mails, websites, schedules, addresses, other taxonomies' attributes with their terms, ...): kept
 * as published, exported again.
 */
export type HsdsExtra = Readonly<Record<string, unknown>>;

export interface AgencyRecord extends AgencyProfile {
  readonly id: string;
  readonly name: string;
  readonly kind: AgencyKind;
  readonly active: boolean;
  readonly hsds?: HsdsExtra;
}

/**
 * An organization of an imported directory that is not a member of the network (no agency kind): it
 * is shown in the directory and in suggestions, to be contacted by phone or e-mail; nothing is
 * shared with it and no referral goes to it through this service until a coordinator makes it a member.
 */
export interface ListedOrganizationRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly hsds?: HsdsExtra;
}

export interface ServiceRecord {
  readonly id: string;
  /** The member agency or listed organization offering it. */
  readonly agencyId: string;
  readonly name: string;
  /** Absent for a service of an imported directory that names none of the network's types: listed, never suggested. */
  readonly serviceType?: ServiceType;
  readonly description: string;
  readonly status: ServiceStatus;
  readonly areas: readonly string[];
  readonly eligibility: ServiceEligibility;
  readonly capacity?: OfferFacts['capacity'];
  /** Whether the street address and coordinates of its locations are withheld; undefined: as its type says (shelters are). */
  readonly confidential?: boolean;
  readonly hsds?: HsdsExtra;
}

/**
 * A site of an agency, named uniquely within it: locality, region and country. An imported location
 * keeps the rest of its HSDS record (street address, coordinates) unless a confidential service is
 * offered there: a street address can lead someone to a shelter.
 */
export interface LocationRecord {
  readonly id: string;
  /** The member agency or listed organization; absent for an imported location that names no organization. */
  readonly agencyId?: string;
  readonly name: string;
  readonly locality: string;
  readonly region: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly hsds?: HsdsExtra;
}

/** HSDS service_at_location: a service offered at a location of its agency. */
export interface ServiceLocationRecord {
  readonly id: string;
  readonly serviceId: string;
  readonly locationId: string;
  readonly hsds?: HsdsExtra;
}

/** The whole directory, or the part of it an import brings. */
export interface DirectoryContent {
  readonly agencies: readonly AgencyRecord[];
  readonly listedOrganizations: readonly ListedOrganizationRecord[];
  readonly services: readonly ServiceRecord[];
  readonly locations: readonly LocationRecord[];
  readonly serviceLocations: readonly ServiceLocationRecord[];
}

/** Bounds shared by the HTTP bodies and the HSDS import, so both accept the same records. */
export const LIMITS = {
  agencyName: { min: 3, max: 200 },
  name: 200,
  description: 2000,
  area: 100,
  areas: 50,
  languages: 20,
  locations: 20,
  age: 150,
  capacity: 100_000,
} as const;
export const LANGUAGE_CODE = /^[a-z]{2,3}$/;
export const COUNTRY_CODE = /^[A-Z]{2}$/;

/** Whether a service's locations keep their street address and coordinates to themselves. */
export const isConfidential = (s: Pick<ServiceRecord, 'confidential' | 'serviceType'>): boolean =>
  s.confidential ?? s.serviceType === 'shelter';

/** What suggestions and the directory say of a listed organization's services. */
export const OUTSIDE_NETWORK = 'outside the network: refer by phone/e-mail, nothing is shared through this service';
