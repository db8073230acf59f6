import { createHash } from 'node:crypto';
import { AGENCY_KINDS, SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import { SUBCOMMITTEES } from './directory.model.js';

// The network's own taxonomies in HSDS: what HSDS has no field for is an attribute naming one of their terms.

/**
 * A name-based id (UUID version 5 layout, SHA-1): the same names give the same id in every
 * deployment. Taxonomies, terms and the records nested in a service or location (attributes, areas,
 * languages, addresses) get such ids, so an export is stable and survives an import unchanged.
 */
export function nameBasedId(...names: readonly string[]): string {
  const hash = createHash('sha1')
    .update(['referrals-directory', ...names].join('\u0000'))
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type Entity = 'organization' | 'service';

interface TermDefinition {
  readonly code: string;
  readonly description: string;
}

interface Taxonomy {
  readonly name: string;
  readonly description: string;
  /** The records its terms describe: an attribute on anything else is refused. */
  readonly describes: Entity;
  readonly terms: readonly TermDefinition[];
}

const termsOf = (codes: readonly string[]): TermDefinition[] => codes.map((code) => ({ code, description: code.replace(/_/g, ' ') }));

export const TAXONOMIES = {
  agencyKind: {
    name: 'referrals-agency-kind',
    describes: 'organization',
    terms: termsOf(AGENCY_KINDS),
    description: 'The kind of a member agency of the referral network; consent may name a kind of agency as recipient',
  },
  subcommittee: {
    name: 'referrals-subcommittee',
    describes: 'organization',
    terms: termsOf(SUBCOMMITTEES),
    description: 'The task-force subcommittees a member agency sits on',
  },
  areaServed: {
    name: 'referrals-area-served',
    describes: 'organization',
    description: 'Areas (e.g. local government areas) a member agency works in',
    terms: [{ code: 'area_served', description: 'The organization serves the area the attribute value names' }],
  },
  serviceType: {
    name: 'referrals-service-type',
    describes: 'service',
    terms: termsOf(SERVICE_TYPES),
    description: 'The kinds of service a trafficked person may be referred to',
  },
  eligibility: {
    name: 'referrals-eligibility',
    describes: 'service',
    description: 'Who a service accepts, in the attribute value',
    terms: [
      {
        code: 'sex_accepted',
        description: 'The service accepts persons of the sex in the value (female or male); a service with none accepts any',
      },
      { code: 'children_accepted', description: 'Whether the service accepts children: true or false' },
    ],
  },
  confidentiality: {
    name: 'referrals-confidentiality',
    describes: 'service',
    description: 'Whether the street address and coordinates of the locations of a service are withheld (by default: for shelters)',
    terms: [
      { code: 'confidential_location', description: 'true: the street address and coordinates of its locations are never published' },
    ],
  },
  capacity: {
    name: 'referrals-capacity',
    describes: 'service',
    description: 'Places of a service where their number matters (e.g. shelter beds), as a whole number in the attribute value',
    terms: [
      { code: 'capacity_total', description: 'Places in all' },
      { code: 'capacity_available', description: 'Places free now, at most capacity_total' },
    ],
  },
} as const satisfies Record<string, Taxonomy>;
export type TaxonomyKey = keyof typeof TAXONOMIES;

export interface Term {
  readonly id: string;
  readonly taxonomy: TaxonomyKey;
  readonly code: string;
}

export const taxonomyId = (key: TaxonomyKey) => nameBasedId('taxonomy', TAXONOMIES[key].name);
/** A term of the network's taxonomies has the same id in every deployment. */
export const termId = (key: TaxonomyKey, code: string) => nameBasedId('taxonomy_term', TAXONOMIES[key].name, code);
export const TERMS: readonly Term[] = (Object.keys(TAXONOMIES) as TaxonomyKey[]).flatMap((taxonomy) =>
  TAXONOMIES[taxonomy].terms.map(({ code }) => ({ id: termId(taxonomy, code), taxonomy, code })),
);
export const TERMS_BY_ID = new Map(TERMS.map((t) => [t.id, t]));
