import type { SqlClient, SqlDatabase } from '../../libs/sql/index.js';

/**
 * Row-level security on every per-agency read model, as a second wall behind the service's own
 * checks: the service reads those tables as this role, with the caller's agency in the
 * transaction setting `app.agency_id`, so a forgotten WHERE clause still returns only that
 * agency's rows. The role cannot log in; superusers bypass RLS, hence the SET ROLE.
 */
export const AGENCY_READER_ROLE = 'referrals_agency_reader';

/** Idempotent DDL that scopes `table` (with an `agency_id uuid` column) to the reading agency. */
export function agencyScopedTable(table: string): string {
  return `
ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
DO $$ BEGIN
  CREATE ROLE ${AGENCY_READER_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN
  CREATE POLICY ${table}_by_agency ON ${table} FOR SELECT TO ${AGENCY_READER_ROLE}
    USING (agency_id = nullif(current_setting('app.agency_id', true), '')::uuid);
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${AGENCY_READER_ROLE}', current_schema()); END $$;
GRANT SELECT ON ${table} TO ${AGENCY_READER_ROLE};`;
}

/** Runs `work` in a read transaction that sees only `agencyId`'s rows of the agency-scoped tables. */
export function readAsAgency<T>(db: SqlDatabase, agencyId: string, work: (tx: SqlClient) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL ROLE ${AGENCY_READER_ROLE}`);
    await tx.query(`SELECT set_config('app.agency_id', $1, true)`, [agencyId]);
    return work(tx);
  });
}
