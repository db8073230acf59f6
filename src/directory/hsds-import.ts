// The directory's import: an HSDS document read against the directory it would be written into.
import type { AgencyKind, ServiceType } from '../../libs/consent-policy/index.js';
import { judicialServiceRefusal, mayOffer } from '../../libs/domain/index.js';
import {
  type AgencyRecord,
  COUNTRY_CODE,
  type DirectoryContent,
  ELIGIBLE_SEXES,
  type EligibleSex,
  type HsdsExtra,
  LANGUAGE_CODE,
  LIMITS,
  type ListedOrganizationRecord,
  type LocationRecord,
  type ServiceLocationRecord,
  type ServiceRecord,
  type Subcommittee,
  isConfidential,
} from './directory.model.js';
import { fieldChecks, termChecks } from './hsds-checks.js';
import { beyondExport, exported } from './hsds-export.js';
import { EXPORTED_TERM_IDS, type ForeignTerm, openEligibilityTaxonomyId, readOpenEligibility } from './hsds-open-eligibility.js';
import { COLLECTIONS, type Collection, type CollectionRecord, type HsdsAttribute } from './hsds-records.js';
import type { HsdsKind, SchemaViolation } from './hsds-schemas.js';
import { TAXONOMIES, TERMS_BY_ID, type TaxonomyKey, taxonomyId } from './hsds-taxonomies.js';

/** One invalid field of one record: where, and why; never the value found there. */
export interface InvalidRecord {
  /** e.g. `services[3]`, or where the record was nested, e.g. `/contents/0/organization` */
  readonly record: string;
  /** The record's id, when it is a well-formed one. */
  readonly id?: string;
  /** A JSON pointer into the record, e.g. `/attributes/2/value`. */
  readonly field: string;
  readonly message: string;
}

/** Something of the posted document that is not imported or not used, and why: nothing is dropped without saying so. */
export interface IgnoredPart {
  readonly record: string;
  readonly id?: string;
  readonly field: string;
  readonly reason: string;
}

export type ImportDocument = Partial<Record<Collection, readonly unknown[]>>;
export type ImportOutcome =
  { readonly content: DirectoryContent; readonly ignored: readonly IgnoredPart[] } | { readonly invalid: readonly InvalidRecord[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The street line, postal code and coordinates: what could lead someone to a confidential service's door. */
const STREET_FIELDS = ['address_1', 'address_2', 'postal_code', 'attention'] as const;
const COORDINATES = ['latitude', 'longitude'] as const;

type Json = Record<string, unknown>;
const withExtra = <T extends object>(record: T, hsds: HsdsExtra | undefined): T => (hsds ? { ...record, hsds } : record);
/** The record without the fields the directory keeps in columns of its own: what the export writes back beside them. */
const extraOf = (record: object, columns: readonly string[]): HsdsExtra =>
  Object.fromEntries(Object.entries(record).filter(([field]) => !columns.includes(field)));

/**
 * Reads an HSDS document against the directory it would be written into: every record is checked
 * against its HSDS schema and against this network's profile (its taxonomies, the references
 * between records, the directory's own rules), and either every record is taken or none is, with
 * each invalid record and field listed. An organization without the network's agency kind is a
 * listed organization, outside the network. What a record carries beyond the directory's columns is
 * kept as published; what is not kept or not used is listed in `ignored`. `names`: where each record
 * was in the posted document, by collection (default `services[3]`).
 */
export function fromHsds(
  document: ImportDocument,
  current: DirectoryContent,
  schema: (kind: HsdsKind, record: unknown) => SchemaViolation[],
  names: Partial<Record<Collection, readonly string[]>> = {},
): ImportOutcome {
  const invalid: InvalidRecord[] = [];
  const ignored: IgnoredPart[] = [];
  const order = new Map<string, number>();
  /** Records that passed their schema, by collection, with the name the report gives them. */
  const valid = <C extends Collection>(collection: C) =>
    (document[collection] ?? []).flatMap((record, index) => {
      const where = names[collection]?.[index] ?? `${collection}[${index}]`;
      order.set(where, order.size);
      const id = (record as { id?: unknown } | null)?.id;
      const reportedId = typeof id === 'string' && UUID.test(id) ? id : undefined;
      const problems = schema(COLLECTIONS[collection], record);
      invalid.push(...problems.map((p) => ({ record: where, ...(reportedId ? { id: reportedId } : {}), ...p })));
      return problems.length > 0 ? [] : [{ where, record: record as CollectionRecord<C> }];
    });
  const report = (where: string, id: string, field: string, message: string) => void invalid.push({ record: where, id, field, message });
  const ignore = (where: string, id: string | undefined, field: string, reason: string) =>
    void ignored.push({ record: where, ...(id ? { id } : {}), field, reason });

  const records = {
    organizations: valid('organizations'),
    services: valid('services'),
    locations: valid('locations'),
    serviceAtLocations: valid('service_at_locations'),
    terms: valid('taxonomy_terms'),
    taxonomies: valid('taxonomies'),
  };

  for (const collection of ['organizations', 'services', 'locations', 'serviceAtLocations'] as const) {
    const seen = new Set<string>();
    for (const { where, record } of records[collection]) {
      if (seen.has(record.id.toLowerCase())) report(where, record.id, '/id', 'another record of this collection has this id');
      seen.add(record.id.toLowerCase());
    }
  }

  const { termsOn, exactlyOne, distinct } = termChecks(records.terms, report);
  const { checkText, checkCount } = fieldChecks(report);

  // Other publishers' terms and taxonomies: kept inside the attributes that use them, so the export can publish them again.
  const taxonomies = new Map(records.taxonomies.map(({ record }) => [record.id.toLowerCase(), record]));
  const foreignTerms = new Map(
    records.terms
      .filter(({ record }) => !TERMS_BY_ID.has(record.id.toLowerCase()))
      .map(({ record }) => {
        const detail = record.taxonomy_id ? taxonomies.get(record.taxonomy_id.toLowerCase()) : undefined;
        return [record.id.toLowerCase(), detail ? { ...record, taxonomy_detail: detail } : { ...record }] as const;
      }),
  );
  const usedTerms = new Set<string>();
  /** A record's attributes of other taxonomies, each with its term, and what those terms say (e.g. Open Eligibility). */
  const foreignAttributes = (attributes: readonly HsdsAttribute[] = []) => {
    const kept = attributes.flatMap((a) => {
      const termId = a.taxonomy_term_id?.toLowerCase() ?? '';
      if (TERMS_BY_ID.has(termId) || EXPORTED_TERM_IDS.has(termId)) return [];
      usedTerms.add(termId);
      const term = foreignTerms.get(termId);
      return [term ? { ...a, taxonomy_term: term } : a];
    });
    const terms: ForeignTerm[] = kept.flatMap((a) => {
      const term = (a as { taxonomy_term?: Json }).taxonomy_term;
      if (!term) return [];
      const detail = term.taxonomy_detail as Json | undefined;
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const taxonomyName = text(detail?.name) ?? text(term.taxonomy);
      const taxonomyUri = text(detail?.uri);
      return [
        {
          ...(text(term.code) ? { code: text(term.code) } : {}),
          ...(text(term.name) ? { name: text(term.name) } : {}),
          ...(taxonomyName ? { taxonomyName } : {}),
          ...(taxonomyUri ? { taxonomyUri } : {}),
        },
      ];
    });
    return { kept, terms };
  };

  // Organizations: member agencies (with the network's kind), or listed organizations (without).
  const agencies = new Map(current.agencies.map((a) => [a.id, a]));
  const listedBefore = new Set(current.listedOrganizations.map((o) => o.id));
  const agencyNames = new Map(current.agencies.map((a) => [a.name, a.id]));
  const importedAgencies: AgencyRecord[] = [];
  const importedListed: ListedOrganizationRecord[] = [];
  for (const { where, record: o } of records.organizations) {
    const id = o.id.toLowerCase();
    const existing = agencies.get(id);
    const found = termsOn(where, id, 'organization', o.attributes);
    const kinds = found.filter((t) => t.taxonomy === 'agencyKind');
    const { kept } = foreignAttributes(o.attributes);
    const hsds = { ...extraOf(o, ['id', 'name', 'description', 'attributes']), ...(kept.length > 0 ? { attributes: kept } : {}) };
    checkText(where, id, '/description', o.description, LIMITS.description);
    distinct(where, id, found, (t) => `${t.id}:${t.value ?? ''}`);
    if (kinds.length === 0 && !existing) {
      if (found.length > 0)
        report(where, id, '/attributes', "subcommittees and areas served are a member agency's: name the agency's kind too");
      checkText(where, id, '/name', o.name, LIMITS.name, 1);
      importedListed.push(withExtra({ id, name: o.name, description: o.description }, Object.keys(hsds).length > 0 ? hsds : undefined));
      continue;
    }
    if (listedBefore.has(id))
      report(where, id, '/attributes', 'a listed organization becomes a member through POST /directory/organizations/{id}/membership');
    const kind = kinds.length === 0 ? undefined : exactlyOne(where, id, found, 'agencyKind', "the agency's kind");
    if (existing && !existing.active) report(where, id, '/id', 'this member agency was deactivated');
    if (existing && kind && existing.kind !== kind.code) report(where, id, '/attributes', "an agency's kind is not changed by an import");
    checkText(where, id, '/name', o.name, LIMITS.agencyName.max, LIMITS.agencyName.min);
    if ((agencyNames.get(o.name) ?? id) !== id) report(where, id, '/name', 'another member agency has this name');
    agencyNames.set(o.name, id);
    const areas = found.filter((t) => t.taxonomy === 'areaServed');
    for (const area of areas) checkText(where, id, `${area.at}/value`, area.value, LIMITS.area, 1);
    checkCount(where, id, '/attributes', areas, LIMITS.areas);
    // A record with a problem is still read (kind, type: placeholders), so every problem is reported; nothing is written then.
    const agency: AgencyRecord = {
      id,
      name: o.name,
      kind: (kind?.code ?? existing?.kind ?? 'national_ngo') as AgencyKind,
      active: true,
      description: o.description,
      subcommittees: found.filter((t) => t.taxonomy === 'subcommittee').map((t) => t.code as Subcommittee),
      areasServed: areas.map((t) => t.value ?? ''),
    };
    importedAgencies.push(withExtra(agency, beyondExport(hsds, exported.organization(agency))));
  }
  const memberIds = new Set([...current.agencies.filter((a) => a.active).map((a) => a.id), ...importedAgencies.map((a) => a.id)]);
  const organizationIds = new Set([...memberIds, ...listedBefore, ...importedListed.map((o) => o.id)]);
  const ownerOf = (where: string, id: string, organizationId: string | undefined, before: string | undefined) => {
    const owner = organizationId?.toLowerCase();
    if (owner === undefined || !organizationIds.has(owner))
      report(where, id, '/organization_id', 'no organization of this file or of the directory has this id');
    else if (before !== undefined && before !== owner)
      report(where, id, '/organization_id', 'a record does not move to another organization');
    return owner ?? '';
  };

  // Services.
  const currentServices = new Map(current.services.map((s) => [s.id, s]));
  const importedServices: ServiceRecord[] = [];
  for (const { where, record: s } of records.services) {
    const id = s.id.toLowerCase();
    const agencyId = ownerOf(where, id, s.organization_id, currentServices.get(id)?.agencyId);
    const found = termsOn(where, id, 'service', s.attributes);
    distinct(where, id, found, (t) => `${t.id}:${t.value ?? ''}`);
    const { kept, terms } = foreignAttributes(s.attributes);
    const open = readOpenEligibility(terms);
    for (const caveat of open.caveats) ignore(where, id, '/attributes', caveat);
    const types = found.filter((t) => t.taxonomy === 'serviceType');
    const type = types.length === 0 ? undefined : exactlyOne(where, id, found, 'serviceType', 'the kind of service');
    const serviceType = (type?.code as ServiceType | undefined) ?? (open.types.length === 1 ? open.types[0] : undefined);
    if (!serviceType)
      ignore(
        where,
        id,
        '/attributes',
        "names none of the network's service types (or several Open Eligibility ones): listed, never suggested",
      );
    const kind = importedAgencies.find((a) => a.id === agencyId)?.kind ?? current.agencies.find((a) => a.id === agencyId)?.kind;
    if (serviceType && kind && !mayOffer(kind, serviceType))
      report(where, id, type?.at ?? '/attributes', judicialServiceRefusal(kind, serviceType));
    const childrenTerms = found.filter((t) => t.code === 'children_accepted');
    const children =
      childrenTerms.length === 0 ? undefined : exactlyOne(where, id, found, 'eligibility', 'true or false', 'children_accepted');
    if (children && children.value !== 'true' && children.value !== 'false')
      report(where, id, `${children.at}/value`, 'must be true or false');
    const sexes = found.filter((t) => t.code === 'sex_accepted');
    for (const sex of sexes)
      if (!ELIGIBLE_SEXES.includes(sex.value as EligibleSex))
        report(where, id, `${sex.at}/value`, `must be one of: ${ELIGIBLE_SEXES.join(', ')}`);
    const confidentialTerm = found.find((t) => t.code === 'confidential_location');
    if (confidentialTerm && confidentialTerm.value !== 'true' && confidentialTerm.value !== 'false')
      report(where, id, `${confidentialTerm.at}/value`, 'must be true or false');
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
    // Areas and languages this directory cannot match on stay in the record as published, unused for matching.
    const areaNames = (s.service_areas ?? []).flatMap((area, index) => {
      const usable = area.name !== undefined && area.name.length >= 1 && area.name.length <= LIMITS.area;
      if (!usable) ignore(where, id, `/service_areas/${index}/name`, `not matched on: an area name is 1 to ${LIMITS.area} characters long`);
      return usable ? [area.name!] : [];
    });
    checkCount(where, id, '/service_areas', areaNames, LIMITS.areas);
    const codes = (s.languages ?? []).flatMap((language, index) => {
      const usable = LANGUAGE_CODE.test(language.code ?? '');
      if (!usable) ignore(where, id, `/languages/${index}/code`, 'not matched on: not an ISO 639 code such as ha or kau');
      return usable ? [language.code!] : [];
    });
    checkCount(where, id, '/languages', codes, LIMITS.languages);
    if (new Set(codes).size !== codes.length) report(where, id, '/languages', 'repeats a language');
    if (new Set(areaNames).size !== areaNames.length) report(where, id, '/service_areas', 'repeats an area');
    const minimumAge = s.minimum_age ?? open.minimumAge;
    const maximumAge = s.maximum_age ?? open.maximumAge;
    const childrenAccepted = children
      ? children.value === 'true'
      : (open.childrenAccepted ?? (minimumAge !== undefined ? minimumAge < 18 : undefined));
    if (childrenAccepted === undefined)
      ignore(where, id, '/attributes', 'says nowhere whether children are accepted (no age, no Open Eligibility age group): taken as not');
    const service: ServiceRecord = {
      id,
      agencyId,
      name: s.name,
      ...(serviceType ? { serviceType } : {}),
      description: s.description ?? '',
      status: s.status,
      areas: areaNames,
      eligibility: {
        sexes: sexes.length > 0 ? sexes.map((t) => t.value as EligibleSex) : open.sexes,
        ...(minimumAge === undefined ? {} : { minimumAge }),
        ...(maximumAge === undefined ? {} : { maximumAge }),
        childrenAccepted: childrenAccepted ?? false,
        languages: codes,
      },
      ...(total && available ? { capacity: { total: Number(total.value), available: Number(available.value) } } : {}),
      ...(confidentialTerm ? { confidential: confidentialTerm.value === 'true' } : {}),
    };
    const hsds = {
      ...extraOf(s, ['id', 'organization_id', 'name', 'description', 'status', 'minimum_age', 'maximum_age', 'attributes']),
      ...(kept.length > 0 ? { attributes: kept } : {}),
    };
    importedServices.push(withExtra(service, beyondExport(hsds, exported.service(service))));
  }

  // Services at locations: a service at a location of its own organization, once.
  const allServices = new Map([...current.services, ...importedServices].map((s) => [s.id, s]));
  const currentLocations = new Map(current.locations.map((l) => [l.id, l]));
  const fileLocations = new Map(records.locations.map(({ record }) => [record.id.toLowerCase(), record]));
  const locationOwner = (locationId: string) => {
    const owner = fileLocations.get(locationId)?.organization_id?.toLowerCase() ?? currentLocations.get(locationId)?.agencyId;
    return owner && organizationIds.has(owner) ? owner : undefined;
  };
  const pairs = new Map(current.serviceLocations.map((sl) => [`${sl.serviceId}\u0000${sl.locationId}`, sl.id]));
  const importedLinks: ServiceLocationRecord[] = [];
  for (const { where, record: sl } of records.serviceAtLocations) {
    const id = sl.id.toLowerCase();
    const serviceId = sl.service_id?.toLowerCase() ?? '';
    const locationId = sl.location_id?.toLowerCase() ?? '';
    if (!allServices.has(serviceId)) report(where, id, '/service_id', 'no service of this file or of the directory has this id');
    if (!fileLocations.has(locationId) && !currentLocations.has(locationId))
      report(where, id, '/location_id', 'no location of this file or of the directory has this id');
    else {
      const owner = locationOwner(locationId);
      const service = allServices.get(serviceId);
      if (owner && service && organizationIds.has(service.agencyId) && service.agencyId !== owner)
        report(where, id, '/location_id', 'the location belongs to another organization than the service');
    }
    const pair = `${serviceId}\u0000${locationId}`;
    if ((pairs.get(pair) ?? id) !== id) report(where, id, '/location_id', 'another service_at_location puts this service at this location');
    pairs.set(pair, id);
    const { kept } = foreignAttributes(sl.attributes);
    const hsds = { ...extraOf(sl, ['id', 'service_id', 'location_id', 'attributes']), ...(kept.length > 0 ? { attributes: kept } : {}) };
    importedLinks.push(withExtra({ id, serviceId, locationId }, Object.keys(hsds).length > 0 ? hsds : undefined));
  }
  const links = [...current.serviceLocations.filter((l) => !importedLinks.some((i) => i.id === l.id)), ...importedLinks];
  const confidentialAt = (locationId: string) =>
    links.some((l) => l.locationId === locationId && allServices.has(l.serviceId) && isConfidential(allServices.get(l.serviceId)!));

  // Locations: named uniquely within their organization; locality, region and country from an address.
  const locationNames = new Map(current.locations.map((l) => [`${l.agencyId ?? ''}\u0000${l.name}`, l.id]));
  const importedLocations: LocationRecord[] = [];
  for (const { where, record: l } of records.locations) {
    const id = l.id.toLowerCase();
    let agencyId: string | undefined;
    if (l.organization_id !== undefined && !organizationIds.has(l.organization_id.toLowerCase()))
      ignore(
        where,
        id,
        '/organization_id',
        'no organization of this file or of the directory has this id: the location is kept without one',
      );
    else if (l.organization_id !== undefined) agencyId = ownerOf(where, id, l.organization_id, currentLocations.get(id)?.agencyId);
    checkText(where, id, '/name', l.name, LIMITS.name, 1);
    const key = `${agencyId ?? ''}\u0000${l.name ?? ''}`;
    if (agencyId && (locationNames.get(key) ?? id) !== id) report(where, id, '/name', 'another location of the organization has this name');
    locationNames.set(key, id);
    const address = l.addresses?.find((a) => a.address_type === 'physical') ?? l.addresses?.[0];
    if (address && !COUNTRY_CODE.test(address.country))
      report(where, id, `/addresses/${l.addresses!.indexOf(address)}/country`, 'must be an ISO 3166-1 alpha-2 code, e.g. NG');
    if (address) {
      checkText(where, id, `/addresses/${l.addresses!.indexOf(address)}/city`, address.city, LIMITS.area);
      checkText(where, id, `/addresses/${l.addresses!.indexOf(address)}/state_province`, address.state_province, LIMITS.area);
    }
    const hsds: Json = { ...extraOf(l, ['id', 'name', ...(agencyId ? ['organization_id'] : [])]) };
    if (confidentialAt(id)) {
      // Never kept, so never published: a street address or coordinates could lead someone to a shelter.
      const given = (value: unknown) => value !== undefined && value !== '';
      const withheld = [
        ...COORDINATES.filter((f) => given(hsds[f])),
        ...(l.addresses ?? []).flatMap((a, index) =>
          STREET_FIELDS.filter((f) => given((a as unknown as Json)[f])).map((f) => `addresses/${index}/${f}`),
        ),
      ];
      for (const f of COORDINATES) Reflect.deleteProperty(hsds, f);
      // In place, in the publisher's order of fields; HSDS requires address_1 and postal_code, so they stay, empty.
      const blank = (field: string, value: unknown) => (field === 'address_1' || field === 'postal_code' ? '' : value);
      if (l.addresses)
        hsds.addresses = l.addresses.map((a) =>
          Object.fromEntries(Object.entries(a).flatMap(([f, v]) => (f === 'address_2' || f === 'attention' ? [] : [[f, blank(f, v)]]))),
        );
      if (withheld.length > 0)
        ignore(where, id, '/addresses', `not kept: ${withheld.join(', ')} (a confidential service, e.g. a shelter, is offered here)`);
    }
    // A location without an address keeps the place the directory knew it at.
    const before = currentLocations.get(id);
    const location: LocationRecord = {
      id,
      ...(agencyId ? { agencyId } : {}),
      name: l.name ?? '',
      locality: address ? address.city : (before?.locality ?? ''),
      region: address ? address.state_province : (before?.region ?? ''),
      country: address ? address.country : (before?.country ?? ''),
    };
    importedLocations.push(withExtra(location, beyondExport(hsds, exported.location(location))));
  }

  for (const { where, record } of records.terms)
    if (
      !TERMS_BY_ID.has(record.id.toLowerCase()) &&
      !EXPORTED_TERM_IDS.has(record.id.toLowerCase()) &&
      !usedTerms.has(record.id.toLowerCase())
    )
      ignore(where, record.id, '/', 'not kept: no record of the file uses this term (the directory keeps the terms its records carry)');
  const ownTaxonomyIds = new Set([openEligibilityTaxonomyId, ...(Object.keys(TAXONOMIES) as TaxonomyKey[]).map(taxonomyId)]);
  const usedTaxonomies = new Set(
    [...foreignTerms.values()].filter((t) => usedTerms.has(t.id.toLowerCase())).map((t) => t.taxonomy_id?.toLowerCase()),
  );
  for (const { where, record } of records.taxonomies)
    if (!usedTaxonomies.has(record.id.toLowerCase()) && !ownTaxonomyIds.has(record.id.toLowerCase()))
      ignore(where, record.id, '/', "not kept: no term used by the file's records is of this taxonomy (the network's own are fixed)");

  const rank = (record: string) => order.get(record) ?? Number.MAX_SAFE_INTEGER;
  return invalid.length > 0
    ? { invalid: invalid.sort((a, b) => rank(a.record) - rank(b.record)) }
    : {
        content: {
          agencies: importedAgencies,
          listedOrganizations: importedListed,
          services: importedServices,
          locations: importedLocations,
          serviceLocations: importedLinks,
        },
        ignored: ignored.sort((a, b) => rank(a.record) - rank(b.record)),
      };
}
