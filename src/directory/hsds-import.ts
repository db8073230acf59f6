// The directory's import: an HSDS document read against the directory it would be written into.
import type { AgencyKind, ServiceType } from '../../libs/consent-policy/index.js';
import { judicialServiceRefusal, mayOffer } from '../../libs/domain/index.js';
import {
  type AgencyRecord,
  COUNTRY_CODE,
  type DirectoryContent,
  ELIGIBLE_SEXES,
  type EligibleSex,
  LANGUAGE_CODE,
  LIMITS,
  type LocationRecord,
  type ServiceLocationRecord,
  type ServiceRecord,
  type Subcommittee,
} from './directory.model.js';
import { fieldChecks, termChecks } from './hsds-checks.js';
import { COLLECTIONS, type Collection, type CollectionRecord } from './hsds-records.js';
import type { HsdsKind, SchemaViolation } from './hsds-schemas.js';

/** One invalid field of one record: where, and why; never the value found there. */
export interface InvalidRecord {
  /** e.g. `services[3]` */
  readonly record: string;
  /** The record's id, when it is a well-formed one. */
  readonly id?: string;
  /** A JSON pointer into the record, e.g. `/attributes/2/value`. */
  readonly field: string;
  readonly message: string;
}

export type ImportDocument = Partial<Record<Collection, readonly unknown[]>>;
export type ImportOutcome = { readonly content: DirectoryContent } | { readonly invalid: readonly InvalidRecord[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Reports list records in the file's order: collection by collection, record by record (the sort is stable within a record). */
const position = (record: string) => {
  const [, collection = '', index = '0'] = /^(\w+)\[(\d+)\]$/.exec(record) ?? [];
  return Object.keys(COLLECTIONS).indexOf(collection) * 1_000_000 + Number(index);
};

/**
 * Reads an HSDS document against the directory it would be written into: every record is checked
 * against its HSDS schema and against this network's profile (its taxonomies, the references
 * between records, the directory's own rules), and either every record is taken or none is, with
 * each invalid record and field listed.
 */
export function fromHsds(
  document: ImportDocument,
  current: DirectoryContent,
  schema: (kind: HsdsKind, record: unknown) => SchemaViolation[],
): ImportOutcome {
  const invalid: InvalidRecord[] = [];
  /** Records that passed their schema, by collection, with the name the report gives them. */
  const valid = <C extends Collection>(collection: C) =>
    (document[collection] ?? []).flatMap((record, index) => {
      const where = `${collection}[${index}]`;
      const id = (record as { id?: unknown } | null)?.id;
      const reportedId = typeof id === 'string' && UUID.test(id) ? id : undefined;
      const problems = schema(COLLECTIONS[collection], record);
      invalid.push(...problems.map((p) => ({ record: where, ...(reportedId ? { id: reportedId } : {}), ...p })));
      return problems.length > 0 ? [] : [{ where, record: record as CollectionRecord<C> }];
    });
  const report = (where: string, id: string, field: string, message: string) => void invalid.push({ record: where, id, field, message });

  const records = {
    organizations: valid('organizations'),
    services: valid('services'),
    locations: valid('locations'),
    serviceAtLocations: valid('service_at_locations'),
    terms: valid('taxonomy_terms'),
  };
  valid('taxonomies'); // checked against the schema only: the network's own taxonomies are fixed

  for (const collection of ['organizations', 'services', 'locations', 'serviceAtLocations'] as const) {
    const seen = new Set<string>();
    for (const { where, record } of records[collection]) {
      if (seen.has(record.id.toLowerCase())) report(where, record.id, '/id', 'another record of this collection has this id');
      seen.add(record.id.toLowerCase());
    }
  }

  const { termsOn, exactlyOne, distinct } = termChecks(records.terms, report);
  const { checkText, checkCount } = fieldChecks(report);

  // Organizations: the member agencies, new ones created.
  const agencies = new Map(current.agencies.map((a) => [a.id, a]));
  const names = new Map(current.agencies.map((a) => [a.name, a.id]));
  const importedAgencies: AgencyRecord[] = [];
  for (const { where, record: o } of records.organizations) {
    const id = o.id.toLowerCase();
    const existing = agencies.get(id);
    const found = termsOn(where, id, 'organization', o.attributes);
    const kind = exactlyOne(where, id, found, 'agencyKind', "the agency's kind");
    if (existing && !existing.active) report(where, id, '/id', 'this member agency was deactivated');
    if (existing && kind && existing.kind !== kind.code) report(where, id, '/attributes', "an agency's kind is not changed by an import");
    checkText(where, id, '/name', o.name, LIMITS.agencyName.max, LIMITS.agencyName.min);
    checkText(where, id, '/description', o.description, LIMITS.description);
    if ((names.get(o.name) ?? id) !== id) report(where, id, '/name', 'another member agency has this name');
    names.set(o.name, id);
    distinct(where, id, found, (t) => `${t.id}:${t.value ?? ''}`);
    const areas = found.filter((t) => t.taxonomy === 'areaServed');
    for (const area of areas) checkText(where, id, `${area.at}/value`, area.value, LIMITS.area, 1);
    checkCount(where, id, '/attributes', areas, LIMITS.areas);
    // A record with a problem is still read (kind, type: placeholders), so every problem is reported; nothing is written then.
    importedAgencies.push({
      id,
      name: o.name,
      kind: (kind?.code ?? 'national_ngo') as AgencyKind,
      active: true,
      description: o.description,
      subcommittees: found.filter((t) => t.taxonomy === 'subcommittee').map((t) => t.code as Subcommittee),
      areasServed: areas.map((t) => t.value ?? ''),
    });
  }
  const agencyIds = new Set([...current.agencies.filter((a) => a.active).map((a) => a.id), ...importedAgencies.map((a) => a.id)]);
  const agencyOf = (where: string, id: string, organizationId: string | undefined, before: string | undefined) => {
    const agencyId = organizationId?.toLowerCase();
    if (agencyId === undefined || !agencyIds.has(agencyId))
      report(where, id, '/organization_id', 'no organization of this file or active member agency has this id');
    else if (before !== undefined && before !== agencyId) report(where, id, '/organization_id', 'a record does not move to another agency');
    return agencyId ?? '';
  };

  // Services.
  const currentServices = new Map(current.services.map((s) => [s.id, s]));
  const importedServices: ServiceRecord[] = [];
  for (const { where, record: s } of records.services) {
    const id = s.id.toLowerCase();
    const agencyId = agencyOf(where, id, s.organization_id, currentServices.get(id)?.agencyId);
    const found = termsOn(where, id, 'service', s.attributes);
    distinct(where, id, found, (t) => `${t.id}:${t.value ?? ''}`);
    const type = exactlyOne(where, id, found, 'serviceType', 'the kind of service');
    const kind = importedAgencies.find((a) => a.id === agencyId)?.kind ?? current.agencies.find((a) => a.id === agencyId)?.kind;
    if (type && kind && !mayOffer(kind, type.code as ServiceType))
      report(where, id, type.at, judicialServiceRefusal(kind, type.code as ServiceType));
    const children = exactlyOne(where, id, found, 'eligibility', 'true or false', 'children_accepted');
    if (children && children.value !== 'true' && children.value !== 'false')
      report(where, id, `${children.at}/value`, 'must be true or false');
    const sexes = found.filter((t) => t.code === 'sex_accepted');
    for (const sex of sexes)
      if (!ELIGIBLE_SEXES.includes(sex.value as EligibleSex))
        report(where, id, `${sex.at}/value`, `must be one of: ${ELIGIBLE_SEXES.join(', ')}`);
    const places = found.filter((t) => t.taxonomy === 'capacity');
    const total = places.find((t) => t.code === 'capacity_total');
    const available = places.find((t) => t.code === 'capacity_available');
    for (const count of places) {
      if (!/^\d{1,6}$/.test(count.value ?? '') || Number(count.value) > LIMITS.capacity)
        report(where, id, `${count.at}/value`, `must be a whole number from 0 to ${LIMITS.capacity}`);
    }
    if (places.length > 0 && (!total || !available))
      report(where, id, '/attributes', 'capacity needs both capacity_total and capacity_available');
    if (total && available && Number(available.value) > Number(total.value))
      report(where, id, `${available.at}/value`, 'capacity_available exceeds capacity_total');
    for (const [field, age] of [
      ['/minimum_age', s.minimum_age],
      ['/maximum_age', s.maximum_age],
    ] as const) {
      if (age !== undefined && (!Number.isInteger(age) || age < 0 || age > LIMITS.age))
        report(where, id, field, `must be a whole number from 0 to ${LIMITS.age}`);
    }
    if (s.minimum_age !== undefined && s.maximum_age !== undefined && s.minimum_age > s.maximum_age)
      report(where, id, '/maximum_age', 'is below minimum_age');
    checkText(where, id, '/name', s.name, LIMITS.name, 1);
    checkText(where, id, '/description', s.description, LIMITS.description);
    checkCount(where, id, '/service_areas', s.service_areas, LIMITS.areas);
    (s.service_areas ?? []).forEach((area, index) => checkText(where, id, `/service_areas/${index}/name`, area.name, LIMITS.area, 1));
    checkCount(where, id, '/languages', s.languages, LIMITS.languages);
    (s.languages ?? []).forEach((language, index) => {
      if (!LANGUAGE_CODE.test(language.code ?? ''))
        report(where, id, `/languages/${index}/code`, 'must be an ISO 639 code such as ha or kau');
    });
    const codes = (s.languages ?? []).map((l) => l.code ?? '');
    if (new Set(codes).size !== codes.length) report(where, id, '/languages', 'repeats a language');
    const areaNames = (s.service_areas ?? []).map((a) => a.name ?? '');
    if (new Set(areaNames).size !== areaNames.length) report(where, id, '/service_areas', 'repeats an area');
    importedServices.push({
      id,
      agencyId,
      name: s.name,
      serviceType: (type?.code ?? 'shelter') as ServiceType,
      description: s.description ?? '',
      status: s.status,
      areas: areaNames,
      eligibility: {
        sexes: sexes.map((t) => t.value as EligibleSex),
        ...(s.minimum_age === undefined ? {} : { minimumAge: s.minimum_age }),
        ...(s.maximum_age === undefined ? {} : { maximumAge: s.maximum_age }),
        childrenAccepted: children?.value === 'true',
        languages: codes,
      },
      ...(total && available ? { capacity: { total: Number(total.value), available: Number(available.value) } } : {}),
    });
  }

  // Locations: named uniquely within their agency; locality, region and country from a physical address.
  const currentLocations = new Map(current.locations.map((l) => [l.id, l]));
  const locationNames = new Map(current.locations.map((l) => [`${l.agencyId}\u0000${l.name}`, l.id]));
  const importedLocations: LocationRecord[] = [];
  for (const { where, record: l } of records.locations) {
    const id = l.id.toLowerCase();
    const agencyId = agencyOf(where, id, l.organization_id, currentLocations.get(id)?.agencyId);
    checkText(where, id, '/name', l.name, LIMITS.name, 1);
    const key = `${agencyId}\u0000${l.name ?? ''}`;
    if ((locationNames.get(key) ?? id) !== id) report(where, id, '/name', 'another location of the agency has this name');
    locationNames.set(key, id);
    const address = l.addresses?.find((a) => a.address_type === 'physical');
    if (!address?.city || !address.state_province || !COUNTRY_CODE.test(address.country)) {
      report(where, id, '/addresses', 'needs a physical address with city, state_province and country (ISO 3166-1 alpha-2, e.g. NG)');
    } else {
      checkText(where, id, '/addresses', address.city, LIMITS.area, 1);
      checkText(where, id, '/addresses', address.state_province, LIMITS.area, 1);
    }
    importedLocations.push({
      id,
      agencyId,
      name: l.name ?? '',
      locality: address?.city ?? '',
      region: address?.state_province ?? '',
      country: address?.country ?? '',
    });
  }

  // Services at locations: a service at a location of its own agency, once.
  const serviceAgency = new Map([...current.services, ...importedServices].map((s) => [s.id, s.agencyId]));
  const locationAgency = new Map([...current.locations, ...importedLocations].map((l) => [l.id, l.agencyId]));
  const pairs = new Map(current.serviceLocations.map((sl) => [`${sl.serviceId}\u0000${sl.locationId}`, sl.id]));
  const importedLinks: ServiceLocationRecord[] = [];
  for (const { where, record: sl } of records.serviceAtLocations) {
    const id = sl.id.toLowerCase();
    const serviceId = sl.service_id?.toLowerCase() ?? '';
    const locationId = sl.location_id?.toLowerCase() ?? '';
    if (!serviceAgency.has(serviceId)) report(where, id, '/service_id', 'no service of this file or of the directory has this id');
    if (!locationAgency.has(locationId)) report(where, id, '/location_id', 'no location of this file or of the directory has this id');
    else if (agencyIds.has(serviceAgency.get(serviceId) ?? '') && serviceAgency.get(serviceId) !== locationAgency.get(locationId)) {
      report(where, id, '/location_id', 'the location belongs to another agency than the service');
    }
    const pair = `${serviceId}\u0000${locationId}`;
    if ((pairs.get(pair) ?? id) !== id) report(where, id, '/location_id', 'another service_at_location puts this service at this location');
    pairs.set(pair, id);
    importedLinks.push({ id, serviceId, locationId });
  }

  return invalid.length > 0
    ? { invalid: invalid.sort((a, b) => position(a.record) - position(b.record)) }
    : {
        content: { agencies: importedAgencies, services: importedServices, locations: importedLocations, serviceLocations: importedLinks },
      };
}
