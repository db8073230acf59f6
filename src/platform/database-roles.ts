/**
 * Least privilege on PostgreSQL. The service never needs to own or alter what it writes: the
 * owner role owns the schema and runs the migrations; the app and the projector log in as
 * ordinary roles holding only the statements below. Neither may UPDATE or DELETE the events, the
 * audit chain, the consent trail or the access log, and, not owning them, neither may disable
 * their triggers or row-level security. Role names are cluster-wide: one deployment per server.
 */
export const DATABASE_ROLES = {
  /** Owns the schema and its tables; runs `npm run migrate`. Never used by a running service. */
  owner: 'referrals_owner',
  /** The service (`npm start`). */
  app: 'referrals_app',
  /** `npm run projector` and `npm run rebuild`; the app becomes it to apply the read models in process. */
  projector: 'referrals_projector',
  /** Cannot log in: the app becomes it to read the per-agency tables as one agency. */
  agencyReader: 'referrals_agency_reader',
} as const;
type Grantee = 'app' | 'projector' | 'agencyReader';

/**
 * What each role may do on each table of the service, and nothing else. A table missing here
 * fails the migration: a new table needs a decision, not a default.
 */
export const TABLE_PRIVILEGES: Readonly<Record<string, Partial<Record<Grantee, string>>>> = {
  schema_version: { app: 'SELECT', projector: 'SELECT' },
  schema_migrations: { app: 'SELECT', projector: 'SELECT' },
  events: { app: 'SELECT, INSERT', projector: 'SELECT' },
  case_data_keys: { app: 'SELECT, INSERT, UPDATE' }, // a destroy empties the key; no row ever goes
  agencies: { app: 'SELECT, INSERT, UPDATE' },
  users: { app: 'SELECT, INSERT, UPDATE' },
  refresh_tokens: { app: 'SELECT, INSERT, UPDATE' },
  api_keys: { app: 'SELECT, INSERT, UPDATE' },
  directory_agency_profiles: { app: 'SELECT, INSERT, UPDATE' },
  directory_services: { app: 'SELECT, INSERT, UPDATE' },
  directory_locations: { app: 'SELECT, INSERT, UPDATE' },
  directory_service_locations: { app: 'SELECT, INSERT, UPDATE, DELETE' },
  // A listed organization's row goes when a coordinator makes it a member agency (same id, in agencies).
  directory_listed_organizations: { app: 'SELECT, INSERT, UPDATE, DELETE' },
  personal_data_access: { app: 'SELECT, INSERT' },
  audit_chain: { app: 'SELECT, INSERT', projector: 'SELECT, INSERT' },
  audit_chain_event_places: { app: 'SELECT, INSERT', projector: 'SELECT, INSERT' },
  consent_trail: { app: 'SELECT', projector: 'SELECT, INSERT' },
  projection_checkpoints: { app: 'SELECT', projector: 'SELECT, INSERT, UPDATE, DELETE' },
  // Per-agency tables: only the projector writes them, only the agency reader reads them, each
  // under its own row-level policy (platform/agency-scope.ts); the app itself holds nothing.
  agency_case_views: { projector: 'SELECT, INSERT, UPDATE, DELETE', agencyReader: 'SELECT' },
  referral_inbox: { projector: 'SELECT, INSERT, UPDATE, DELETE', agencyReader: 'SELECT' },
  referral_facts: { app: 'SELECT', projector: 'SELECT, INSERT, UPDATE, DELETE' },
  // The consent-expiry process (app) removes a deadline once it acted on it.
  consent_deadlines: { app: 'SELECT, DELETE', projector: 'SELECT, INSERT, UPDATE, DELETE' },
  // The feed relay (npm run relay) logs in as the app: it opens personal data to encrypt it for each agency.
  agency_feed_keys: { app: 'SELECT, INSERT, UPDATE' },
  agency_feed_key_changes: { app: 'SELECT, INSERT' },
  feed_published_keys: { app: 'SELECT, INSERT' },
  feed_relay_checkpoints: { app: 'SELECT, INSERT, UPDATE' },
};

/**
 * Creates those of `roles` that are missing when the migrating user may (PGlite's single user, a
 * superuser); they cannot log in until `db:setup-roles` says so. A schema owner without that
 * right relies on the roles `db:setup-roles` made, and is told to run it when one is missing.
 */
export function missingRoles(roles: readonly string[]): string {
  return `
DO $$
DECLARE wanted text;
BEGIN
  FOREACH wanted IN ARRAY ARRAY[${roles.map((r) => `'${r}'`).join(', ')}] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = wanted) THEN
      IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'role % does not exist: run npm run db:setup-roles first', wanted USING ERRCODE = 'undefined_object';
      END IF;
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', wanted);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by another process
      END;
    END IF;
  END LOOP;
END $$;`;
}

/** The grants on the current schema, exactly as TABLE_PRIVILEGES says: run by the schema's owner after its DDL. */
export function grantsScript(): string {
  const grantees = (['app', 'projector', 'agencyReader'] as const).map((g) => DATABASE_ROLES[g]).join(', ');
  const tables = Object.entries(TABLE_PRIVILEGES).map(([table, privileges]) =>
    [
      // Revoked first, so a right taken away in a newer version is gone after its migration.
      `REVOKE ALL ON ${table} FROM ${grantees};`,
      ...Object.entries(privileges).map(([grantee, rights]) => `GRANT ${rights} ON ${table} TO ${DATABASE_ROLES[grantee as Grantee]};`),
    ].join('\n'),
  );
  return `
DO $$
DECLARE unlisted text;
BEGIN
  SELECT string_agg(tablename, ', ' ORDER BY tablename) INTO unlisted FROM pg_tables
   WHERE schemaname = current_schema() AND tablename <> ALL (ARRAY[${Object.keys(TABLE_PRIVILEGES)
     .map((t) => `'${t}'`)
     .join(', ')}]);
  IF unlisted IS NOT NULL THEN
    RAISE EXCEPTION 'no privileges decided for table(s) %: add them to TABLE_PRIVILEGES in src/platform/database-roles.ts', unlisted;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${grantees}', current_schema());
END $$;
${tables.join('\n')}`;
}
