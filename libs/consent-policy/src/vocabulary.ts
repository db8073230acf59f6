/** The words consent is given in (DOMAIN.md: kinds of data, purposes; seed 002 service list). */

export const DATA_CATEGORIES = [
  'identity',
  'contact',
  'location',
  'demographics',
  'health',
  'psychosocial',
  'trafficking_experience',
  'legal_status',
  'family',
  'safety',
  'case_progress',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const PURPOSES = [
  'case_management',
  'service_provision',
  'family_tracing',
  'legal_assistance',
  'phone_case_management',
  'law_enforcement_report',
  'anonymous_statistics',
  'media',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export const SERVICE_TYPES = [
  'in_depth_interview',
  'material_assistance',
  'shelter',
  'wash',
  'food_and_nutrition',
  'personal_safety',
  'medical',
  'mhpss',
  'education_and_training',
  'livelihoods',
  'family_tracing_and_reunification',
  'legal_assistance',
  'interpretation',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const AGENCY_KINDS = [
  'government_social_service',
  'law_enforcement',
  'prosecution',
  'national_ngo',
  'international_ngo',
  'un_agency',
  'red_cross_red_crescent',
  'health',
  'legal_aid',
  'shelter',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/**
 * Agencies of the justice chain. Assistance never depends on cooperating with them (DOMAIN.md):
 * whatever the purpose named, data reaching them is judicial cooperation and follows its rules.
 */
export const JUDICIAL_AGENCY_KINDS = ['law_enforcement', 'prosecution'] as const satisfies readonly AgencyKind[];
export type JudicialAgencyKind = (typeof JUDICIAL_AGENCY_KINDS)[number];
export const isJudicialAgency = (kind: AgencyKind): kind is JudicialAgencyKind =>
  (JUDICIAL_AGENCY_KINDS as readonly AgencyKind[]).includes(kind);

/** Who gave a consent: the person, or for a child a guardian (whose consent needs the child's assent). */
export const CONSENT_GRANTORS = ['person', 'guardian'] as const;
export type ConsentGrantor = (typeof CONSENT_GRANTORS)[number];

/** A type guard for membership of one of the vocabularies above. */
export const isOneOf =
  <T extends string>(values: readonly T[]) =>
  (value: unknown): value is T =>
    (values as readonly unknown[]).includes(value);
