// The shapes HSDS 3.0 publishers produce, read into the one bundle the import checks. Pure: no I/O.
import { COLLECTIONS, type Collection } from './hsds-records.js';

import type { IgnoredPart } from './hsds-import.js';

type Json = Record<string, unknown>;
/** A bundle's records, and where each one was in the posted document (for the reports). */
export interface NormalizedDocument {
  readonly records: Partial<Record<Collection, Json[]>>;
  readonly sources: Partial<Record<Collection, string[]>>;
  readonly ignored: readonly IgnoredPart[];
  /** The tabular (CSV) form, whose values are all text. */
  readonly tabular: boolean;
}
export type ShapeOutcome = NormalizedDocument | { readonly malformed: string };

/** A taxonomy has these fields only; an organization may have a `uri` too, and more. */
const TAXONOMY_FIELDS = new Set(['id', 'name', 'description', 'uri', 'version']);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Which HSDS object a record is, by the fields only that object has; undefined when it cannot be told. */
export function kindOf(record: Json): Collection | undefined {
  if (isObject(record.service) || isObject(record.location) || ('service_id' in record && 'location_id' in record))
    return 'service_at_locations';
  if ('location_type' in record) return 'locations';
  if ('status' in record || isObject(record.organization)) return 'services';
  if ('term_uri' in record || 'taxonomy_detail' in record || 'taxonomy_id' in record || 'parent_id' in record || 'code' in record)
    return 'taxonomy_terms';
  if (typeof record.name !== 'string') return undefined;
  return Object.keys(record).every((field) => TAXONOMY_FIELDS.has(field)) && 'uri' in record ? 'taxonomies' : 'organizations';
}

/** The tabular (CSV data package) form: its tables of records, and the tables of parts nested into their owner. */
const TABLES: Record<string, Collection> = {
  'organizations.csv': 'organizations',
  'services.csv': 'services',
  'locations.csv': 'locations',
  'service_at_location.csv': 'service_at_locations',
  'taxonomies.csv': 'taxonomies',
  'taxonomy_terms.csv': 'taxonomy_terms',
};
/** A part's table, the array of its owner it goes into, and the owners' foreign keys from the most specific. */
const PARTS: Record<string, { field: string; owners: ReadonlyArray<readonly [string, Collection]> }> = {
  'phones.csv': {
    field: 'phones',
    owners: [
      ['service_at_location_id', 'service_at_locations'],
      ['service_id', 'services'],
      ['location_id', 'locations'],
      ['organization_id', 'organizations'],
    ],
  },
  'contacts.csv': {
    field: 'contacts',
    owners: [
      ['service_at_location_id', 'service_at_locations'],
      ['service_id', 'services'],
      ['location_id', 'locations'],
      ['organization_id', 'organizations'],
    ],
  },
  'schedules.csv': {
    field: 'schedules',
    owners: [
      ['service_at_location_id', 'service_at_locations'],
      ['service_id', 'services'],
      ['location_id', 'locations'],
    ],
  },
  'addresses.csv': { field: 'addresses', owners: [['location_id', 'locations']] },
  'accessibility.csv': { field: 'accessibility', owners: [['location_id', 'locations']] },
  'languages.csv': {
    field: 'languages',
    owners: [
      ['service_id', 'services'],
      ['location_id', 'locations'],
    ],
  },
  'service_areas.csv': { field: 'service_areas', owners: [['service_id', 'services']] },
  'required_documents.csv': { field: 'required_documents', owners: [['service_id', 'services']] },
  'cost_options.csv': { field: 'cost_options', owners: [['service_id', 'services']] },
  'funding.csv': {
    field: 'funding',
    owners: [
      ['service_id', 'services'],
      ['organization_id', 'organizations'],
    ],
  },
  'organization_identifiers.csv': { field: 'organization_identifiers', owners: [['organization_id', 'organizations']] },
  'programs.csv': { field: 'programs', owners: [['organization_id', 'organizations']] },
  'attributes.csv': {
    field: 'attributes',
    owners: [
      ['link_id', 'services'],
      ['link_id', 'organizations'],
      ['link_id', 'locations'],
      ['link_id', 'service_at_locations'],
    ],
  },
  'metadata.csv': {
    field: 'metadata',
    owners: [
      ['resource_id', 'services'],
      ['resource_id', 'organizations'],
      ['resource_id', 'locations'],
      ['resource_id', 'service_at_locations'],
    ],
  },
};

/**
 * Reads what HSDS publishers post: a single object, a list, a paged list (`contents`), the compiled
 * nested shapes (a service with its organization and service_at_locations, a service_at_location
 * with its service and location, an organization with its services and locations, an attribute with
 * its taxonomy_term, a term with its taxonomy_detail), the tabular form (`organizations.csv`, ...)
 * and the bundle GET /directory/hsds writes. Nested records become records of their own, linked by
 * id; everything else a record carries stays in it.
 */
export function normalizeHsds(body: unknown): ShapeOutcome {
  const records: Partial<Record<Collection, Json[]>> = {};
  const sources: Partial<Record<Collection, string[]>> = {};
  const ignored: IgnoredPart[] = [];
  const byId = new Map<string, Json>();

  const add = (collection: Collection, record: Json, at: string, nested: boolean): void => {
    const key = `${collection}\u0000${String(record.id).toLowerCase()}`;
    const before = byId.get(key);
    // A compiled shape repeats a record wherever it is referred to (the same organization in each service): one record, its fields merged.
    if (nested && before) {
      for (const [field, value] of Object.entries(record)) if (!(field in before)) before[field] = value;
      return;
    }
    const copy = { ...record };
    if (typeof record.id === 'string') byId.set(key, copy);
    (records[collection] ??= []).push(copy);
    (sources[collection] ??= []).push(at || '/');
    unnest(collection, copy, at);
  };

  /** Takes the records nested in a record out into their own collections, leaving their ids behind. */
  const unnest = (collection: Collection, record: Json, at: string) => {
    const one = (field: string, into: Collection, link?: string) => {
      const inner = record[field];
      if (!isObject(inner)) return;
      Reflect.deleteProperty(record, field);
      if (link && typeof inner.id === 'string') record[link] ??= inner.id;
      add(into, inner, `${at}/${field}`, true);
    };
    const many = (field: string, into: Collection, link: Record<string, unknown>) => {
      const inner = record[field];
      if (!Array.isArray(inner)) return;
      Reflect.deleteProperty(record, field);
      inner.forEach((item, index) => {
        if (isObject(item))
          add(
            into,
            { ...item, ...Object.fromEntries(Object.entries(link).filter(([k]) => !(k in item))) },
            `${at}/${field}/${index}`,
            true,
          );
        else ignored.push({ record: at, field: `/${field}/${index}`, reason: 'not an object' });
      });
    };
    const attributeTerms = () => {
      const attributes = record.attributes;
      if (!Array.isArray(attributes)) return;
      attributes.forEach((a, index) => {
        if (!isObject(a) || !isObject(a.taxonomy_term)) return;
        const term = a.taxonomy_term;
        delete a.taxonomy_term;
        if (typeof term.id === 'string') a.taxonomy_term_id ??= term.id;
        add('taxonomy_terms', term, `${at}/attributes/${index}/taxonomy_term`, true);
      });
    };
    switch (collection) {
      case 'organizations':
        many('services', 'services', { organization_id: record.id });
        many('locations', 'locations', { organization_id: record.id });
        attributeTerms();
        break;
      case 'services':
        one('organization', 'organizations', 'organization_id');
        many('service_at_locations', 'service_at_locations', { service_id: record.id });
        attributeTerms();
        break;
      case 'service_at_locations':
        one('service', 'services', 'service_id');
        one('location', 'locations', 'location_id');
        attributeTerms();
        break;
      case 'locations':
        attributeTerms();
        break;
      case 'taxonomy_terms':
        one('taxonomy_detail', 'taxonomies', 'taxonomy_id');
        break;
      case 'taxonomies':
        break;
    }
  };

  const single = (record: unknown, at: string) => {
    const kind = isObject(record) ? kindOf(record) : undefined;
    if (!kind || !isObject(record))
      return `${at || '/'} is not an HSDS organization, service, location, service_at_location, taxonomy or taxonomy_term`;
    add(kind, record, at, false);
    return undefined;
  };
  const list = (items: unknown[], at: string) => {
    for (const [index, item] of items.entries()) {
      const problem = single(item, `${at}/${index}`);
      if (problem) return problem;
    }
    return undefined;
  };

  let problem: string | undefined;
  // An empty list imports nothing and says nothing: most likely not what the caller meant to send.
  if (Array.isArray(body)) problem = body.length === 0 ? 'the list holds no HSDS record' : list(body, '');
  else if (!isObject(body)) problem = 'the body is not an HSDS object, list or bundle';
  else if (Array.isArray(body.contents)) {
    problem = list(body.contents, '/contents');
    // The page's own fields (total_items, page_number, ...) describe the publisher's paging, not the directory.
    for (const field of Object.keys(body).filter((f) => f !== 'contents'))
      ignored.push({ record: '/', field: `/${field}`, reason: 'paging of the published list' });
  } else if (Object.keys(body).some((k) => k.endsWith('.csv'))) problem = tabular(body);
  else if ('openapi_url' in body && !('id' in body)) {
    for (const field of Object.keys(body))
      ignored.push({ record: '/', field: `/${field}`, reason: "the API's root description: it holds no records" });
  } else if (Object.keys(body).length > 0 && Object.keys(body).every((k) => k in COLLECTIONS)) {
    for (const [collection, items] of Object.entries(body)) {
      if (!Array.isArray(items)) return { malformed: `${collection} is not a list` };
      for (const [index, item] of items.entries()) {
        if (!isObject(item)) return { malformed: `${collection}[${index}] is not an object` };
        add(collection as Collection, item, `${collection}[${index}]`, false);
      }
    }
  } else problem = single(body, '');
  return problem
    ? { malformed: problem }
    : { records, sources, ignored, tabular: isObject(body) && Object.keys(body).some((k) => k.endsWith('.csv')) };

  function tabular(tables: Json): string | undefined {
    for (const [table, rows] of Object.entries(tables)) {
      if (!Array.isArray(rows) || !rows.every(isObject)) return `${table} is not a list of rows`;
      const collection = TABLES[table];
      if (collection) rows.forEach((row, index) => add(collection, row, `/${table}/${index}`, false));
    }
    for (const [table, rows] of Object.entries(tables)) {
      if (TABLES[table]) continue;
      const part = PARTS[table];
      (rows as Json[]).forEach((row, index) => {
        const at = `/${table}/${index}`;
        const owner = part?.owners
          .map(([key, collection]) => byId.get(`${collection}\u0000${String(row[key]).toLowerCase()}`))
          .find((o) => o !== undefined);
        if (!part) ignored.push({ record: at, field: '/', reason: `${table} is not a table of HSDS records this directory keeps` });
        else if (!owner)
          ignored.push({
            record: at,
            field: '/',
            reason: `no record of this file is its owner (${part.owners.map(([key]) => key).join(', ')})`,
          });
        else ((owner[part.field] ??= []) as Json[]).push(row);
      });
    }
    return undefined;
  }
}
