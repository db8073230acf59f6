import { AGENCY_KINDS, SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import { type SchemaObject, list, oneOf, record, text } from '../platform/api-responses.js';
import { SERVICE_STATUSES, SUBCOMMITTEES } from './directory.model.js';

/** The response bodies of the directory routes, for the OpenAPI document (and so the web application's typed client). */

const uuid = text({ format: 'uuid' });
const count: SchemaObject = { type: 'integer', minimum: 0 };
const texts = list(text());
/** An HSDS record as published: its id (and name where HSDS requires one), any other field kept. */
const hsdsRecord = (required: readonly string[]): SchemaObject => ({
  ...record(Object.fromEntries(required.map((field) => [field, text()])), required),
  additionalProperties: true,
});

const eligibility = record(
  {
    sexes: texts,
    minimumAge: { type: 'integer' },
    maximumAge: { type: 'integer' },
    childrenAccepted: { type: 'boolean' },
    languages: texts,
  },
  ['sexes', 'childrenAccepted', 'languages'],
);
const capacity = record({ total: count, available: count });
const location = record({ id: uuid, name: text(), locality: text(), region: text(), country: text() });

export const AGENCY_PROFILE = record({ description: text(), subcommittees: list(oneOf(SUBCOMMITTEES)), areasServed: texts });

/** A member agency's service as the directory shows it. */
export const SERVICE = record(
  {
    serviceId: uuid,
    serviceName: text(),
    serviceType: oneOf(SERVICE_TYPES),
    description: text(),
    agencyId: uuid,
    agencyName: text(),
    agencyKind: oneOf(AGENCY_KINDS),
    agencyActive: { type: 'boolean' },
    agencySubcommittees: list(oneOf(SUBCOMMITTEES)),
    status: oneOf(SERVICE_STATUSES),
    areas: texts,
    eligibility,
    capacity,
    locations: list(location),
  },
  ['serviceId', 'serviceName', 'agencyId', 'agencyName', 'status', 'areas', 'eligibility'],
);

/** A service of an organization outside the network, listed by an import: to be contacted, never referred to here. */
const LISTED_SERVICE = record(
  {
    serviceId: uuid,
    serviceName: text(),
    serviceType: oneOf(SERVICE_TYPES),
    organizationId: uuid,
    organizationName: text(),
    outsideNetwork: { type: 'boolean', enum: [true] },
    howToRefer: text(),
    contact: record({ phones: texts, emails: texts, websites: texts }),
    status: oneOf(SERVICE_STATUSES),
    areas: texts,
    eligibility,
    capacity,
  },
  ['serviceId', 'serviceName', 'organizationId', 'organizationName', 'outsideNetwork', 'howToRefer', 'contact', 'status', 'eligibility'],
);

export const SERVICES = list({ oneOf: [SERVICE, LISTED_SERVICE] });

export const AGENCY = record(
  {
    id: uuid,
    name: text(),
    kind: oneOf(AGENCY_KINDS),
    active: { type: 'boolean' },
    description: text(),
    subcommittees: list(oneOf(SUBCOMMITTEES)),
    areasServed: texts,
    hsds: { type: 'object', additionalProperties: true },
    services: list(SERVICE),
  },
  ['id', 'name', 'kind', 'services'],
);

export const CAPACITY_SET = record({ serviceId: uuid, capacity });

/** The whole directory as Open Referral HSDS 3.0 JSON. */
export const HSDS_DIRECTORY = record({
  organizations: list(hsdsRecord(['id', 'name'])),
  services: list(hsdsRecord(['id', 'name'])),
  locations: list(hsdsRecord(['id'])),
  service_at_locations: list(hsdsRecord(['id'])),
  taxonomies: list(hsdsRecord(['id', 'name'])),
  taxonomy_terms: list(hsdsRecord(['id', 'name'])),
});

/** A page of the HSDS 3.0 API. */
export const HSDS_PAGE = record({
  total_items: count,
  total_pages: count,
  page_number: { type: 'integer', minimum: 1 },
  size: count,
  first_page: { type: 'boolean' },
  last_page: { type: 'boolean' },
  empty: { type: 'boolean' },
  contents: list(hsdsRecord(['id'])),
});

export const HSDS_IMPORTED = record(
  {
    imported: record({ organizations: count, listed_organizations: count, services: count, locations: count, service_at_locations: count }),
    ignored: list(record({ record: text(), id: text(), field: text(), reason: text() }, ['record', 'field', 'reason'])),
    truncated: { type: 'boolean', enum: [true] },
  },
  ['imported', 'ignored'],
);
