import type { ServiceType } from '../../libs/consent-policy/index.js';
import type { SqlClient } from '../../libs/sql/index.js';
import type { MemberAgency } from '../identity/member-agencies.js';
import type { AgencyRecord, EligibleSex, LocationRecord, ServiceRecord, ServiceStatus, Subcommittee } from './directory.model.js';

/** The directory's tables as rows, and as the records the rest of the module works with. */
export interface ServiceRow {
  id: string;
  agency_id: string;
  name: string;
  service_type: ServiceType;
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
}
export interface ProfileRow {
  agency_id: string;
  description: string;
  subcommittees: Subcommittee[];
  areas_served: string[];
}
export interface LocationRow {
  id: string;
  agency_id: string;
  name: string;
  locality: string;
  region: string;
  country: string;
}

export const PROFILES = 'SELECT agency_id, description, subcommittees, areas_served FROM directory_agency_profiles';

export const serviceRecord = (row: ServiceRow): ServiceRecord => ({
  id: row.id,
  agencyId: row.agency_id,
  name: row.name,
  serviceType: row.service_type,
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
});

export const locationRecord = (row: LocationRow): LocationRecord => ({
  id: row.id,
  agencyId: row.agency_id,
  name: row.name,
  locality: row.locality,
  region: row.region,
  country: row.country,
});

export function upsertService(tx: SqlClient, s: ServiceRecord): Promise<unknown> {
  return tx.query(
    `INSERT INTO directory_services (id, agency_id, name, service_type, description, status, areas, sexes, minimum_age, maximum_age, children_accepted,
                                     languages, capacity_total, capacity_available)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, service_type = EXCLUDED.service_type, description = EXCLUDED.description,
       status = EXCLUDED.status, areas = EXCLUDED.areas, sexes = EXCLUDED.sexes, minimum_age = EXCLUDED.minimum_age, maximum_age = EXCLUDED.maximum_age,
       children_accepted = EXCLUDED.children_accepted, languages = EXCLUDED.languages, capacity_total = EXCLUDED.capacity_total,
       capacity_available = EXCLUDED.capacity_available`,
    [
      s.id,
      s.agencyId,
      s.name,
      s.serviceType,
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
    ],
  );
}
