// The directory's export: its active member agencies as HSDS records, stable from one export to the next.
import { SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import {
  type AgencyRecord,
  type DirectoryContent,
  type HsdsExtra,
  type ListedOrganizationRecord,
  type LocationRecord,
  type ServiceEligibility,
  type ServiceRecord,
  isConfidential,
} from './directory.model.js';
import { OPEN_ELIGIBILITY, openEligibilityTaxonomyId, openEligibilityTerm } from './hsds-open-eligibility.js';
import type {
  HsdsAttribute,
  HsdsDirectory,
  HsdsLocation,
  HsdsOrganization,
  HsdsService,
  HsdsTaxonomy,
  HsdsTaxonomyTerm,
} from './hsds-records.js';
import { type Entity, TAXONOMIES, TERMS, type TaxonomyKey, nameBasedId, taxonomyId, termId } from './hsds-taxonomies.js';

type Json = Record<string, unknown>;

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

/** The attributes an import kept as published (other taxonomies'), without their terms, which the export lists on their own. */
const keptAttributes = (hsds: HsdsExtra | undefined): HsdsAttribute[] =>
  ((hsds?.attributes as Json[] | undefined) ?? []).map(({ taxonomy_term: _term, ...a }) => a as unknown as HsdsAttribute);

/** Which items of a list an import kept, matched by a key, else the directory's own: an edit through the routes wins. */
const keptOr = <T>(kept: unknown, own: T[], key: (item: Json | T) => unknown): Array<T | Json> => {
  const byKey = new Map(((kept as Json[] | undefined) ?? []).map((item) => [key(item), item]));
  return own.map((item) => byKey.get(key(item)) ?? item);
};

const organizationOf = (agency: AgencyRecord): HsdsOrganization => ({
  ...agency.hsds,
  id: agency.id,
  name: agency.name,
  description: agency.description,
  attributes: [
    attribute('organization', agency.id, 'agencyKind', agency.kind),
    ...agency.subcommittees.map((s) => attribute('organization', agency.id, 'subcommittee', s)),
    ...agency.areasServed.map((area) => attribute('organization', agency.id, 'areaServed', 'area_served', area)),
    ...keptAttributes(agency.hsds),
  ],
});

/** An organization outside the network: no agency kind, so an import elsewhere lists it again. */
const listedOrganizationOf = (o: ListedOrganizationRecord): HsdsOrganization => ({
  ...o.hsds,
  id: o.id,
  name: o.name,
  description: o.description,
  attributes: keptAttributes(o.hsds),
});

const serviceOf = (s: ServiceRecord): HsdsService => ({
  ...s.hsds,
  id: s.id,
  organization_id: s.agencyId,
  name: s.name,
  description: s.description,
  status: s.status,
  eligibility_description: (s.hsds?.eligibility_description as string | undefined) ?? eligibilityInWords(s.eligibility),
  ...(s.eligibility.minimumAge === undefined ? {} : { minimum_age: s.eligibility.minimumAge }),
  ...(s.eligibility.maximumAge === undefined ? {} : { maximum_age: s.eligibility.maximumAge }),
  service_areas: keptOr(
    // Areas the directory does not match on (e.g. too long) were kept as published too.
    s.hsds?.service_areas,
    s.areas.map((name) => ({ id: nameBasedId('service_area', s.id, name), service_id: s.id, name })),
    (a) => (a as { name?: unknown }).name,
  ).concat(unmatched(s.hsds?.service_areas, (a) => !s.areas.includes(a.name as string))) as HsdsService['service_areas'],
  languages: keptOr(
    s.hsds?.languages,
    s.eligibility.languages.map((code) => ({
      id: nameBasedId('language', s.id, code),
      service_id: s.id,
      code,
      name: languageNames.of(code)!,
    })),
    (l) => (l as { code?: unknown }).code,
  ).concat(unmatched(s.hsds?.languages, (l) => !s.eligibility.languages.includes(l.code as string))) as HsdsService['languages'],
  attributes: [
    ...(s.serviceType ? [attribute('service', s.id, 'serviceType', s.serviceType), openEligibilityAttribute(s.id, s.serviceType)] : []),
    ...s.eligibility.sexes.map((sex) => attribute('service', s.id, 'eligibility', 'sex_accepted', sex)),
    attribute('service', s.id, 'eligibility', 'children_accepted', String(s.eligibility.childrenAccepted)),
    attribute('service', s.id, 'confidentiality', 'confidential_location', String(isConfidential(s))),
    ...(s.capacity
      ? [
          attribute('service', s.id, 'capacity', 'capacity_total', String(s.capacity.total)),
          attribute('service', s.id, 'capacity', 'capacity_available', String(s.capacity.available)),
        ]
      : []),
    ...keptAttributes(s.hsds),
  ],
});

/** Items an import kept that the directory's own list has no counterpart for (an area or language it does not match on). */
const unmatched = (kept: unknown, keep: (item: Json) => boolean): Json[] => ((kept as Json[] | undefined) ?? []).filter(keep);

/** The service type in a recognised taxonomy, beside the network's own. */
const openEligibilityAttribute = (serviceId: string, type: NonNullable<ServiceRecord['serviceType']>): HsdsAttribute => {
  const term = openEligibilityTerm(type);
  return { id: nameBasedId('attribute', serviceId, term.id, ''), link_id: serviceId, link_entity: 'service', taxonomy_term_id: term.id };
};

/**
 * What of a confidential location (where a shelter is, or whose organization runs one) may be
 * published: the place at the level of a town, nothing that leads to its door (street, postal code,
 * coordinates, directions, accessibility notes, phones, identifiers, a description). An allow-list:
 * a field a publisher adds tomorrow stays unpublished too.
 */
const CONFIDENTIAL_LOCATION_FIELDS = ['id', 'name', 'location_type', 'organization_id', 'addresses'] as const;
const CONFIDENTIAL_ADDRESS_FIELDS = ['id', 'location_id', 'city', 'region', 'state_province', 'country', 'address_type'] as const;

/** A confidential location's record and addresses cut to what may be published; HSDS requires `address_1` and `postal_code`, so they are empty. */
export function publishableConfidentialLocation(record: Json): Json {
  const pick = (from: Json, fields: readonly string[]) => Object.fromEntries(Object.entries(from).filter(([f]) => fields.includes(f)));
  const location = pick(record, CONFIDENTIAL_LOCATION_FIELDS);
  if (Array.isArray(record.addresses))
    location.addresses = (record.addresses as Json[]).map((a) => ({
      ...pick(a, CONFIDENTIAL_ADDRESS_FIELDS),
      address_1: '',
      postal_code: '',
    }));
  return location;
}

/** The location as imported, else a physical address of locality, region and country; a confidential one cut to what may be published. */
const locationOf = (l: LocationRecord, confidential: boolean): HsdsLocation => {
  const published = confidential ? publishableConfidentialLocation(l.hsds ?? {}) : ((l.hsds ?? {}) as Json);
  const { addresses, ...rest } = published;
  const kept = (addresses as Json[] | undefined) ?? [
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
  ];
  return {
    location_type: 'physical',
    ...rest,
    id: l.id,
    ...(l.agencyId ? { organization_id: l.agencyId } : {}),
    name: l.name,
    addresses: kept,
  } as unknown as HsdsLocation;
};

/**
 * A location is confidential when a confidential service is offered there, or when its organization
 * runs one: a publisher may not link its shelter to the shelter's address, and the address must not
 * be published because of it. Built once per directory, asked once per location.
 */
export function confidentialLocations(
  services: readonly ServiceRecord[],
  links: ReadonlyArray<{ serviceId: string; locationId: string }>,
): (location: Pick<LocationRecord, 'id' | 'agencyId'>) => boolean {
  const confidential = services.filter(isConfidential);
  const confidentialIds = new Set(confidential.map((s) => s.id));
  const at = new Set(links.filter((l) => confidentialIds.has(l.serviceId)).map((l) => l.locationId));
  const owners = new Set(confidential.map((s) => s.agencyId));
  return (location) => at.has(location.id) || (location.agencyId !== undefined && owners.has(location.agencyId));
}

const byNameThenId = <T extends { name?: string; id: string }>(a: T, b: T) =>
  (a.name ?? '').localeCompare(b.name ?? '', 'en') || a.id.localeCompare(b.id);

/**
 * What an imported record carries beyond what the export would write anyway from the directory's
 * columns: a field or list item equal to the export's own is not kept, so an edit through the
 * directory's routes is not hidden by a stale copy (and an export imported back is stored as it was).
 */
export function beyondExport(extra: HsdsExtra, own: object): HsdsExtra | undefined {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const ownFields = own as Json;
  const kept = Object.entries(extra).flatMap(([field, value]) => {
    const mine = ownFields[field];
    if (same(value, mine)) return [];
    if (Array.isArray(value) && Array.isArray(mine)) {
      const rest = value.filter((item) => !mine.some((m) => same(item, m)));
      return rest.length > 0 ? [[field, rest] as const] : [];
    }
    return [[field, value] as const];
  });
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** The export's record of each kind, for beyondExport. */
export const exported = { organization: organizationOf, service: serviceOf, location: (l: LocationRecord) => locationOf(l, false) };

/** Other publishers' terms and taxonomies, from the attributes that kept them, once each. */
function keptTerms(records: ReadonlyArray<{ hsds?: HsdsExtra }>) {
  const terms = new Map<string, HsdsTaxonomyTerm>();
  const taxonomies = new Map<string, HsdsTaxonomy>();
  for (const { hsds } of records)
    for (const a of (hsds?.attributes as Json[] | undefined) ?? []) {
      const { taxonomy_detail: detail, ...term } = (a.taxonomy_term as Json | undefined) ?? {};
      if (typeof term.id === 'string') terms.set(term.id, term as unknown as HsdsTaxonomyTerm);
      if (detail && typeof (detail as Json).id === 'string') taxonomies.set((detail as Json).id as string, detail as HsdsTaxonomy);
    }
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return { terms: [...terms.values()].sort(byId), taxonomies: [...taxonomies.values()].sort(byId) };
}

/**
 * The directory of the active member agencies and the listed organizations: a deactivated agency is
 * no longer offered to anyone.
 */
export function toHsds(content: DirectoryContent): HsdsDirectory {
  const owners = new Set([...content.agencies.filter((a) => a.active).map((a) => a.id), ...content.listedOrganizations.map((o) => o.id)]);
  const services = content.services.filter((s) => owners.has(s.agencyId));
  const serviceIds = new Set(services.map((s) => s.id));
  const locations = content.locations.filter((l) => l.agencyId === undefined || owners.has(l.agencyId));
  const locationIds = new Set(locations.map((l) => l.id));
  const links = content.serviceLocations.filter((sl) => serviceIds.has(sl.serviceId) && locationIds.has(sl.locationId));
  const isConfidentialLocation = confidentialLocations(content.services, content.serviceLocations);
  const agencies = content.agencies.filter((a) => owners.has(a.id));
  const kept = keptTerms([...agencies, ...content.listedOrganizations, ...services, ...links]);
  return {
    organizations: [...agencies.map(organizationOf), ...content.listedOrganizations.map(listedOrganizationOf)].sort(byNameThenId),
    services: services.map(serviceOf).sort(byNameThenId),
    locations: locations.map((l) => locationOf(l, isConfidentialLocation(l))).sort(byNameThenId),
    service_at_locations: links
      .map(({ id, serviceId, locationId, hsds }) => ({
        ...hsds,
        id,
        service_id: serviceId,
        location_id: locationId,
        ...(hsds?.attributes ? { attributes: keptAttributes(hsds) } : {}),
      }))
      .sort(byNameThenId),
    taxonomies: [
      ...(Object.keys(TAXONOMIES) as TaxonomyKey[]).map((key) => ({
        id: taxonomyId(key),
        name: TAXONOMIES[key].name,
        description: TAXONOMIES[key].description,
      })),
      { id: openEligibilityTaxonomyId, ...OPEN_ELIGIBILITY },
      ...kept.taxonomies.filter((t) => t.id !== openEligibilityTaxonomyId),
    ],
    taxonomy_terms: [
      ...TERMS.map(({ id, taxonomy, code }) => ({
        id,
        code,
        name: code.replace(/_/g, ' '),
        description: TAXONOMIES[taxonomy].terms.find((t) => t.code === code)!.description,
        taxonomy: TAXONOMIES[taxonomy].name,
        taxonomy_id: taxonomyId(taxonomy),
      })),
      ...SERVICE_TYPES.map(openEligibilityTerm),
      ...kept.terms,
    ],
  };
}
