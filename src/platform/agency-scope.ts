import type { SqlClient, SqlDatabase } from '../../libs/sql/index.js';
import { DATABASE_ROLES, missingRoles } from './database-roles.js';

/**
 * Row-level security on every per-agency read model, as a second wall behind the service's own
 * checks: the service reads those tables as this role, with the caller's agency in the
 * transaction setting `app.agency_id`, so a forgotten WHERE clause still returns only that
 * agency's rows. The role cannot log in; the app becomes it for one transaction (SET LOCAL ROLE).
 */
export const AGENCY_READER_ROLE = DATABASE_ROLES.agencyReader;

/**
 * Idempotent DDL that scopes `table` (with an `agency_id uuid` column) to the reading agency.
 * FORCE: the table's owner is held to the policies too, so no role but the projector (which
 * keeps every agency's rows) and the agency reader (one agency's rows) sees a row.
 */
export function agencyScopedTable(table: string): string {
  return `
${missingRoles([AGENCY_READER_ROLE, DATABASE_ROLES.projector])}
ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
DO $$ BEGIN
  CREATE POLICY ${table}_by_agency ON ${table} FOR SELECT TO ${AGENCY_READER_ROLE}
    USING (agency_id = nullif(current_setting('app.agency_id', true), '')::uuid);
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN
  CREATE POLICY ${table}_kept_by_projector ON ${table} FOR ALL TO ${DATABASE_ROLES.projector} USING (true) WITH CHECK (true);
EXCEPTION WHEN duplicate_object THEN NULL; END $$;`;
}

/** Runs `work` in a read transaction that sees only `agencyId`'s rows of the agency-scoped tables. */
export function readAsAgency<T>(db: SqlDatabase, agencyId: string, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL ROLE ${AGENCY_READER_ROLE}`);
    await tx.query(`SELECT set_config('app.agency_id', $1, true)`, [agencyId]);
    return work(tx);
  });
}

/**
 * For the service's own reads across agencies (the retention sweep, waiting for the read models
 * to catch up with a write): as the projector, the one role whose policy spans every agency.
 */
export function readAcrossAgencies<T>(db: SqlDatabase, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL ROLE ${DATABASE_ROLES.projector}`);
    return work(tx);
  });
}
