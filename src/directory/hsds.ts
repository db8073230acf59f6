/**
 * The directory as Open Referral HSDS 3.0 JSON, and back. Pure: no I/O, no clock.
 *
 * Export shape: `{ organizations, services, locations, service_at_locations, taxonomies, taxonomy_terms }`,
 * each an array of HSDS objects that validates against its own schema. Organizations are the member
 * agencies; what HSDS has no field for (an agency's kind, subcommittees and areas; a service's type,
 * sexes accepted, children accepted and capacity) are attributes naming terms of the network's own
 * taxonomies, with the fact in the attribute's value where it is not the term itself.
 */
export { nameBasedId, termId } from './hsds-taxonomies.js';
export type { HsdsDirectory } from './hsds-records.js';
export { toHsds } from './hsds-export.js';
export { fromHsds, type ImportDocument, type ImportOutcome } from './hsds-import.js';
