import type { MigrationInterface, QueryRunner } from 'typeorm';
import { runScript } from './run-script.js';

/**
 * Version 4: imported directories kept whole. Organizations outside the network (listed, never
 * referred to through the service), what each HSDS record carries beyond the directory's columns,
 * and a service's confidentiality (NULL: decided by its type, so shelters are confidential).
 */
export class DirectoryImports1796068920000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await runScript(
      queryRunner,
      `
CREATE TABLE directory_listed_organizations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  hsds jsonb
);
ALTER TABLE directory_agency_profiles ADD COLUMN hsds jsonb;
ALTER TABLE directory_services ADD COLUMN hsds jsonb;
ALTER TABLE directory_services ADD COLUMN confidential boolean;
ALTER TABLE directory_services ADD COLUMN listed_organization_id uuid REFERENCES directory_listed_organizations(id);
ALTER TABLE directory_services ALTER COLUMN agency_id DROP NOT NULL;
ALTER TABLE directory_services ALTER COLUMN service_type DROP NOT NULL;
ALTER TABLE directory_locations ADD COLUMN hsds jsonb;
ALTER TABLE directory_locations ADD COLUMN listed_organization_id uuid REFERENCES directory_listed_organizations(id);
ALTER TABLE directory_locations ALTER COLUMN agency_id DROP NOT NULL;
ALTER TABLE directory_service_locations ADD COLUMN hsds jsonb;
CREATE INDEX directory_services_listed ON directory_services (listed_organization_id);`,
    );
  }

  async down(): Promise<void> {
    throw new Error('going back would drop imported organizations and what their records carry');
  }
}
