// The directory's export: its active member agencies as HSDS records, stable from one export to the next.
import type { AgencyRecord, DirectoryContent, LocationRecord, ServiceEligibility, ServiceRecord } from './directory.model.js';
import type { HsdsAttribute, HsdsDirectory, HsdsLocation, HsdsOrganization, HsdsService } from './hsds-records.js';
import { type Entity, TAXONOMIES, TERMS, type TaxonomyKey, nameBasedId, taxonomyId, termId } from './hsds-taxonomies.js';

const attribute = (entity: Entity, linkId: string, taxonomy: TaxonomyKey, code: string, value?: string): HsdsAttribute => {
  const taxonomyTermId = termId(taxonomy, code);
  return {
    id: nameBasedId('attribute', linkId, taxonomyTermId, value ?? ''),
    link_id: linkId,
    link_entity: entity,
    taxonomy_term_id: taxonomyTermId,
    ...(value === undefined ? {} : { value }),
  };
};

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** The eligibility in words, for people reading the export; the import reads the attributes instead. */
function eligibilityInWords(e: ServiceEligibility): string {
  const ages =
    e.minimumAge !== undefined && e.maximumAge !== undefined
      ? `ages ${e.minimumAge} to ${e.maximumAge}`
      : e.minimumAge !== undefined
        ? `aged ${e.minimumAge} or over`
        : e.maximumAge !== undefined
          ? `aged up to ${e.maximumAge}`
          : undefined;
  return [
    e.sexes.length > 0 ? `${e.sexes.join(' and ')} only` : 'any sex',
    ...(ages ? [ages] : []),
    e.childrenAccepted ? 'children accepted' : 'no children',
    ...(e.languages.length > 0 ? [`languages: ${e.languages.map((code) => languageNames.of(code)).join(', ')}`] : []),
  ].join('; ');
}

const organizationOf = (agency: AgencyRecord): HsdsOrganization => ({
  id: agency.id,
  name: agency.name,
  description: agency.description,
  attributes: [
    attribute('organization', agency.id, 'agencyKind', agency.kind),
    ...agency.subcommittees.map((s) => attribute('organization', agency.id, 'subcommittee', s)),
    ...agency.areasServed.map((area) => attribute('organization', agency.id, 'areaServed', 'area_served', area)),
  ],
});

const serviceOf = (s: ServiceRecord): HsdsService => ({
  id: s.id,
  organization_id: s.agencyId,
  name: s.name,
  description: s.description,
  status: s.status,
  eligibility_description: eligibilityInWords(s.eligibility),
  ...(s.eligibility.minimumAge === undefined ? {} : { minimum_age: s.eligibility.minimumAge }),
  ...(s.eligibility.maximumAge === undefined ? {} : { maximum_age: s.eligibility.maximumAge }),
  service_areas: s.areas.map((name) => ({ id: nameBasedId('service_area', s.id, name), service_id: s.id, name })),
  languages: s.eligibility.languages.map((code) => ({
    id: nameBasedId('language', s.id, code),
    service_id: s.id,
    code,
    name: languageNames.of(code)!,
  })),
  attributes: [
    attribute('service', s.id, 'serviceType', s.serviceType),
    ...s.eligibility.sexes.map((sex) => attribute('service', s.id, 'eligibility', 'sex_accepted', sex)),
    attribute('service', s.id, 'eligibility', 'children_accepted', String(s.eligibility.childrenAccepted)),
    ...(s.capacity
      ? [
          attribute('service', s.id, 'capacity', 'capacity_total', String(s.capacity.total)),
          attribute('service', s.id, 'capacity', 'capacity_available', String(s.capacity.available)),
        ]
      : []),
  ],
});

/** HSDS requires a street line and a postal code: exported empty, since the directory never holds a street address. */
const locationOf = (l: LocationRecord): HsdsLocation => ({
  id: l.id,
  location_type: 'physical',
  organization_id: l.agencyId,
  name: l.name,
  addresses: [
    {
      id: nameBasedId('address', l.id),
      location_id: l.id,
      address_1: '',
      city: l.locality,
      state_province: l.region,
      postal_code: '',
      country: l.country,
      address_type: 'physical',
    },
  ],
});

const byNameThenId = <T extends { name?: string; id: string }>(a: T, b: T) =>
  (a.name ?? '').localeCompare(b.name ?? '', 'en') || a.id.localeCompare(b.id);

/** The directory of the active member agencies: a deactivated agency is no longer offered to anyone. */
export function toHsds(content: DirectoryContent): HsdsDirectory {
  const agencies = new Set(content.agencies.filter((a) => a.active).map((a) => a.id));
  const services = content.services.filter((s) => agencies.has(s.agencyId));
  const serviceIds = new Set(services.map((s) => s.id));
  return {
    organizations: content.agencies
      .filter((a) => agencies.has(a.id))
      .map(organizationOf)
      .sort(byNameThenId),
    services: services.map(serviceOf).sort(byNameThenId),
    locations: content.locations
      .filter((l) => agencies.has(l.agencyId))
      .map(locationOf)
      .sort(byNameThenId),
    service_at_locations: content.serviceLocations
      .filter((sl) => serviceIds.has(sl.serviceId))
      .map(({ id, serviceId, locationId }) => ({ id, service_id: serviceId, location_id: locationId }))
      .sort(byNameThenId),
    taxonomies: (Object.keys(TAXONOMIES) as TaxonomyKey[]).map((key) => ({
      id: taxonomyId(key),
      name: TAXONOMIES[key].name,
      description: TAXONOMIES[key].description,
    })),
    taxonomy_terms: TERMS.map(({ id, taxonomy, code }) => ({
      id,
      code,
      name: code.replace(/_/g, ' '),
      description: TAXONOMIES[taxonomy].terms.find((t) => t.code === code)!.description,
      taxonomy: TAXONOMIES[taxonomy].name,
      taxonomy_id: taxonomyId(taxonomy),
    })),
  };
}
