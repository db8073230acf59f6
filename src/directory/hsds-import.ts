// The directory's import: an HSDS document read against the directory it would be written into.
import type { AgencyKind } from '../../libs/consent-policy/index.js';
import {
  type AgencyRecord,
  COUNTRY_CODE,
  type DirectoryContent,
  LIMITS,
  type ListedOrganizationRecord,
  type LocationRecord,
  type ServiceLocationRecord,
  type ServiceRecord,
  type Subcommittee,
} from './directory.model.js';
import { fieldChecks, termChecks } from './hsds-checks.js';
import { beyondExport, confidentialLocations, exported, publishableConfidentialLocation } from './hsds-export.js';
import { type Json, extraOf, withExtra } from './hsds-extra.js';
import { foreignTermsOf } from './hsds-import-foreign.js';
import { type ImportChecks, readService } from './hsds-import-service.js';
import { COLLECTIONS, type Collection, type CollectionRecord } from './hsds-records.js';
import type { HsdsKind, SchemaViolation } from './hsds-schemas.js';

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

  const terms = termChecks(records.terms, report);
  const fields = fieldChecks(report);
  const { termsOn, exactlyOne, distinct } = terms;
  const { checkText, checkCount } = fields;

  // Other publishers' terms and taxonomies: kept inside the attributes that use them, so the export can publish them again.
  const { foreignAttributes, ignoreUnused } = foreignTermsOf(records.terms, records.taxonomies);
  const checks: ImportChecks = { report, ignore, terms, fields, foreignAttributes };

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
    const kind = importedAgencies.find((a) => a.id === agencyId)?.kind ?? current.agencies.find((a) => a.id === agencyId)?.kind;
    importedServices.push(readService(where, s, agencyId, kind, checks));
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
  const isConfidentialLocation = confidentialLocations([...allServices.values()], links);
  const confidentialAt = (locationId: string, ownerId: string | undefined) =>
    isConfidentialLocation({ id: locationId, ...(ownerId ? { agencyId: ownerId } : {}) });

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
    if (confidentialAt(id, agencyId)) {
      // Never kept, so never published: what could lead someone to a shelter's door (hsds-export.ts).
      const published = publishableConfidentialLocation(hsds);
      const given = (value: unknown) => value !== undefined && value !== '';
      const changed = (from: Json, to: Json | undefined) => Object.keys(from).filter((f) => given(from[f]) && to?.[f] !== from[f]);
      const withheld = [
        ...changed(hsds, published).filter((f) => f !== 'addresses'),
        ...((hsds.addresses as Json[] | undefined) ?? []).flatMap((address, index) =>
          changed(address, (published.addresses as Json[])[index]).map((f) => `addresses/${index}/${f}`),
        ),
      ];
      for (const f of Object.keys(hsds)) Reflect.deleteProperty(hsds, f);
      Object.assign(hsds, published);
      if (withheld.length > 0)
        ignore(
          where,
          id,
          '/',
          `not kept: ${withheld.join(', ')} (a confidential service, e.g. a shelter, is offered here or by its organization)`,
        );
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

  ignoreUnused(ignore);

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
