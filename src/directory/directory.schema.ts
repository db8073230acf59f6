import { SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import { ELIGIBLE_SEXES, SERVICE_STATUSES, SUBCOMMITTEES } from './directory.model.js';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The service directory, beside identity's `agencies` (the member agencies, HSDS organizations).
 * Idempotent; the same SQL on PGlite and PostgreSQL.
 */
export const DIRECTORY_SCHEMA = `
CREATE TABLE IF NOT EXISTS directory_agency_profiles (
  agency_id uuid PRIMARY KEY REFERENCES agencies(id),
  description text NOT NULL DEFAULT '',
  subcommittees text[] NOT NULL DEFAULT '{}' CHECK (subcommittees <@ ARRAY[${list(SUBCOMMITTEES)}]::text[]),
  areas_served text[] NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS directory_services (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  name text NOT NULL,
  service_type text NOT NULL CHECK (service_type IN (${list(SERVICE_TYPES)})),
  description text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN (${list(SERVICE_STATUSES)})),
  areas text[] NOT NULL DEFAULT '{}',
  sexes text[] NOT NULL DEFAULT '{}' CHECK (sexes <@ ARRAY[${list(ELIGIBLE_SEXES)}]::text[]),
  minimum_age int CHECK (minimum_age >= 0),
  maximum_age int CHECK (maximum_age >= coalesce(minimum_age, 0)),
  children_accepted boolean NOT NULL,
  languages text[] NOT NULL DEFAULT '{}',
  capacity_total int,
  capacity_available int,
  -- Capacity where it matters (e.g. shelter beds): both numbers or neither, and never more free than there are.
  CHECK ((capacity_total IS NULL) = (capacity_available IS NULL)),
  CHECK (capacity_available BETWEEN 0 AND capacity_total)
);
CREATE INDEX IF NOT EXISTS directory_services_type ON directory_services (service_type);
CREATE INDEX IF NOT EXISTS directory_services_agency ON directory_services (agency_id);
CREATE TABLE IF NOT EXISTS directory_locations (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  name text NOT NULL,
  locality text NOT NULL,
  region text NOT NULL,
  country text NOT NULL,
  UNIQUE (agency_id, name)
);
CREATE TABLE IF NOT EXISTS directory_service_locations (
  id uuid PRIMARY KEY,
  service_id uuid NOT NULL REFERENCES directory_services(id),
  location_id uuid NOT NULL REFERENCES directory_locations(id),
  UNIQUE (service_id, location_id)
);
-- Imported directories (issue 15): organizations outside the network, and what HSDS records carry beyond these columns.
CREATE TABLE IF NOT EXISTS directory_listed_organizations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  hsds jsonb
);
ALTER TABLE directory_agency_profiles ADD COLUMN IF NOT EXISTS hsds jsonb;
ALTER TABLE directory_services ADD COLUMN IF NOT EXISTS hsds jsonb;
ALTER TABLE directory_services ADD COLUMN IF NOT EXISTS confidential boolean;
ALTER TABLE directory_services ADD COLUMN IF NOT EXISTS listed_organization_id uuid REFERENCES directory_listed_organizations(id);
ALTER TABLE directory_services ALTER COLUMN agency_id DROP NOT NULL;
ALTER TABLE directory_services ALTER COLUMN service_type DROP NOT NULL;
ALTER TABLE directory_locations ADD COLUMN IF NOT EXISTS hsds jsonb;
ALTER TABLE directory_locations ADD COLUMN IF NOT EXISTS listed_organization_id uuid REFERENCES directory_listed_organizations(id);
ALTER TABLE directory_locations ALTER COLUMN agency_id DROP NOT NULL;
ALTER TABLE directory_service_locations ADD COLUMN IF NOT EXISTS hsds jsonb;
CREATE INDEX IF NOT EXISTS directory_services_listed ON directory_services (listed_organization_id);
`;
