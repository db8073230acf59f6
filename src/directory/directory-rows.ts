import type { ServiceType } from '../../libs/consent-policy/index.js';
import type { SqlClient } from '../../libs/sql/index.js';
import type { MemberAgency } from '../identity/member-agencies.js';
import type {
  AgencyRecord,
  EligibleSex,
  HsdsExtra,
  ListedOrganizationRecord,
  LocationRecord,
  ServiceRecord,
  ServiceStatus,
  Subcommittee,
} from './directory.model.js';

/** The directory's tables as rows, and as the records the rest of the module works with. */
export interface ServiceRow {
  id: string;
  /** One of agency_id (a member agency) and listed_organization_id (an organization outside the network). */
  agency_id: string | null;
  listed_organization_id: string | null;
  name: string;
  service_type: ServiceType | null;
  description: string;
  status: ServiceStatus;
  areas: string[];
  sexes: EligibleSex[];
  minimum_age: number | null;
  maximum_age: number | null;
  children_accepted: boolean;
  languages: string[];
  capacity_total: number | null;
  capacity_available: number | null;
  confidential: boolean | null;
  hsds: HsdsExtra | null;
}
export interface ProfileRow {
  agency_id: string;
  description: string;
  subcommittees: Subcommittee[];
  areas_served: string[];
  hsds: HsdsExtra | null;
}
export interface LocationRow {
  id: string;
  agency_id: string | null;
  listed_organization_id: string | null;
  name: string;
  locality: string;
  region: string;
  country: string;
  hsds: HsdsExtra | null;
}

export const PROFILES = 'SELECT agency_id, description, subcommittees, areas_served, hsds FROM directory_agency_profiles';

/** A jsonb parameter, as the other modules pass them. */
export const jsonOrNull = (value: HsdsExtra | undefined) => (value === undefined ? null : JSON.stringify(value));

const extra = (hsds: HsdsExtra | null) => (hsds === null ? {} : { hsds });

export const serviceRecord = (row: ServiceRow): ServiceRecord => ({
  id: row.id,
  agencyId: (row.agency_id ?? row.listed_organization_id)!,
  name: row.name,
  ...(row.service_type === null ? {} : { serviceType: row.service_type }),
  description: row.description,
  status: row.status,
  areas: row.areas,
  eligibility: {
    sexes: row.sexes,
    ...(row.minimum_age === null ? {} : { minimumAge: row.minimum_age }),
    ...(row.maximum_age === null ? {} : { maximumAge: row.maximum_age }),
    childrenAccepted: row.children_accepted,
    languages: row.languages,
  },
  ...(row.capacity_total === null ? {} : { capacity: { total: row.capacity_total, available: row.capacity_available! } }),
  ...(row.confidential === null ? {} : { confidential: row.confidential }),
  ...extra(row.hsds),
});

/** Identity's member agency with the directory's profile of it (an agency without one has an empty profile). */
export const agencyRecord = ({ id, name, kind, active }: MemberAgency, profile: ProfileRow | undefined): AgencyRecord => ({
  id,
  name,
  kind,
  active,
  description: profile?.description ?? '',
  subcommittees: profile?.subcommittees ?? [],
  areasServed: profile?.areas_served ?? [],
  ...extra(profile?.hsds ?? null),
});

export const locationRecord = (row: LocationRow): LocationRecord => ({
  id: row.id,
  ...(row.agency_id === null && row.listed_organization_id === null ? {} : { agencyId: (row.agency_id ?? row.listed_organization_id)! }),
  name: row.name,
  locality: row.locality,
  region: row.region,
  country: row.country,
  ...extra(row.hsds),
});

/**
 * Creates or replaces a service. `listed`: its organization is outside the network. A service saved
 * without `hsds` (through the directory's own routes) keeps what an import brought.
 */
export function upsertService(tx: SqlClient, s: ServiceRecord, listed = false): Promise<unknown> {
  return tx.query(
    `INSERT INTO directory_services (id, agency_id, name, service_type, description, status, areas, sexes, minimum_age, maximum_age, children_accepted,
                                     languages, capacity_total, capacity_available, listed_organization_id, confidential, hsds)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, service_type = EXCLUDED.service_type, description = EXCLUDED.description,
       status = EXCLUDED.status, areas = EXCLUDED.areas, sexes = EXCLUDED.sexes, minimum_age = EXCLUDED.minimum_age, maximum_age = EXCLUDED.maximum_age,
       children_accepted = EXCLUDED.children_accepted, languages = EXCLUDED.languages, capacity_total = EXCLUDED.capacity_total,
       capacity_available = EXCLUDED.capacity_available, confidential = coalesce(EXCLUDED.confidential, directory_services.confidential),
       hsds = coalesce(EXCLUDED.hsds, directory_services.hsds)`,
    [
      s.id,
      listed ? null : s.agencyId,
      s.name,
      s.serviceType ?? null,
      s.description,
      s.status,
      s.areas,
      s.eligibility.sexes,
      s.eligibility.minimumAge ?? null,
      s.eligibility.maximumAge ?? null,
      s.eligibility.childrenAccepted,
      s.eligibility.languages,
      s.capacity?.total ?? null,
      s.capacity?.available ?? null,
      listed ? s.agencyId : null,
      s.confidential ?? null,
      jsonOrNull(s.hsds),
    ],
  );
}

export interface ListedOrganizationRow {
  id: string;
  name: string;
  description: string;
  hsds: HsdsExtra | null;
}
export const listedRecord = (row: ListedOrganizationRow): ListedOrganizationRecord => ({
  id: row.id,
  name: row.name,
  description: row.description,
  ...(row.hsds === null ? {} : { hsds: row.hsds }),
});
