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

export interface AgencyRecord extends AgencyProfile {
  readonly id: string;
  readonly name: string;
  readonly kind: AgencyKind;
  readonly active: boolean;
}

export interface ServiceRecord {
  readonly id: string;
  readonly agencyId: string;
  readonly name: string;
  readonly serviceType: ServiceType;
  readonly description: string;
  readonly status: ServiceStatus;
  readonly areas: readonly string[];
  readonly eligibility: ServiceEligibility;
  readonly capacity?: OfferFacts['capacity'];
}

/**
 * A site of an agency, named uniquely within it. Locality, region and country only: a street
 * address can lead someone to a shelter, so the directory never holds one.
 */
export interface LocationRecord {
  readonly id: string;
  readonly agencyId: string;
  readonly name: string;
  readonly locality: string;
  readonly region: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

/** HSDS service_at_location: a service offered at a location of its agency. */
export interface ServiceLocationRecord {
  readonly id: string;
  readonly serviceId: string;
  readonly locationId: string;
}

/** The whole directory, or the part of it an import brings. */
export interface DirectoryContent {
  readonly agencies: readonly AgencyRecord[];
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
