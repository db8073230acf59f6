/** The URLs the FHIR consent export names (identifier systems, code systems, extensions), under a canonical base or as configured. */

/** Where this service's identifier systems, code systems and extensions live unless configured (FHIR_CANONICAL_BASE). */
export const DEFAULT_FHIR_BASE = 'https://referrals.example.org/fhir';

/** Each URL the export names, as its path under the canonical base; FHIR_URLS can set any of them to another URI. */
export const FHIR_URL_KEYS = [
  'sid/case',
  'sid/consent',
  'sid/user',
  'sid/agency',
  'consent-notices',
  'CodeSystem/purpose',
  'CodeSystem/service-type',
  'CodeSystem/data-category',
  'CodeSystem/agency-kind',
  'CodeSystem/consent-grantor',
  'CodeSystem/consent-method',
  'CodeSystem/consent-activity',
  'StructureDefinition/consent-grantor',
  'StructureDefinition/consent-child-assent',
  'StructureDefinition/consent-method',
  'StructureDefinition/consent-language',
  'StructureDefinition/consent-interpreter-used',
  'StructureDefinition/provision-service-type',
  'StructureDefinition/recipient-agency-kind',
  'StructureDefinition/withdrawn-provision',
  'StructureDefinition/agreed-period',
] as const;
export type FhirUrlKey = (typeof FHIR_URL_KEYS)[number];
export type FhirUrls = Readonly<Record<FhirUrlKey, string>>;

/** The URLs under `base`, with `overrides` (validated by the configuration) in place of their defaults. */
export function fhirUrls(base: string = DEFAULT_FHIR_BASE, overrides: Readonly<Partial<Record<FhirUrlKey, string>>> = {}): FhirUrls {
  return Object.fromEntries(FHIR_URL_KEYS.map((key) => [key, overrides[key] ?? `${base}/${key}`])) as FhirUrls;
}
