import type { ServiceStatus } from './directory.model.js';
import type { HsdsKind } from './hsds-schemas.js';

// HSDS 3.0 records: the fields this profile writes or reads.

export interface HsdsAttribute {
  id: string;
  link_id?: string;
  link_entity?: string;
  link_type?: string;
  taxonomy_term_id?: string;
  value?: string;
}
export interface HsdsOrganization {
  id: string;
  name: string;
  description: string;
  attributes?: HsdsAttribute[];
}
export interface HsdsService {
  id: string;
  organization_id?: string;
  name: string;
  description?: string;
  status: ServiceStatus;
  eligibility_description?: string;
  minimum_age?: number;
  maximum_age?: number;
  service_areas?: Array<{ id: string; service_id?: string; name?: string }>;
  languages?: Array<{ id: string; service_id?: string; code?: string; name?: string }>;
  attributes?: HsdsAttribute[];
}
export interface HsdsAddress {
  id: string;
  location_id?: string;
  address_1: string;
  city: string;
  state_province: string;
  postal_code: string;
  country: string;
  address_type: 'physical' | 'postal' | 'virtual';
}
export interface HsdsLocation {
  id: string;
  location_type: 'physical' | 'postal' | 'virtual';
  organization_id?: string;
  name?: string;
  addresses?: HsdsAddress[];
  latitude?: number;
  longitude?: number;
}
export interface HsdsServiceAtLocation {
  id: string;
  service_id?: string;
  location_id?: string;
  attributes?: HsdsAttribute[];
}
export interface HsdsTaxonomy {
  id: string;
  name: string;
  description: string;
  uri?: string;
  version?: string;
}
export interface HsdsTaxonomyTerm {
  id: string;
  code?: string;
  name: string;
  description: string;
  taxonomy?: string;
  taxonomy_id?: string;
  term_uri?: string;
}
export interface HsdsDirectory {
  organizations: HsdsOrganization[];
  services: HsdsService[];
  locations: HsdsLocation[];
  service_at_locations: HsdsServiceAtLocation[];
  taxonomies: HsdsTaxonomy[];
  taxonomy_terms: HsdsTaxonomyTerm[];
}

/** Which schema each collection's records are validated against. */
export const COLLECTIONS = {
  organizations: 'organization',
  services: 'service',
  locations: 'location',
  service_at_locations: 'service_at_location',
  taxonomies: 'taxonomy',
  taxonomy_terms: 'taxonomy_term',
} as const satisfies Record<keyof HsdsDirectory, HsdsKind>;
export type Collection = keyof typeof COLLECTIONS;

export type CollectionRecord<C extends Collection> = {
  organizations: HsdsOrganization;
  services: HsdsService;
  locations: HsdsLocation;
  service_at_locations: HsdsServiceAtLocation;
  taxonomies: HsdsTaxonomy;
  taxonomy_terms: HsdsTaxonomyTerm;
}[C];
