import { DATA_KEY_SCHEMA } from '../../libs/crypto/index.js';
import { SqlEventStore } from '../../libs/event-store/index.js';
import { ProjectionRunner } from '../../libs/projections/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { ACCESS_LOG_SCHEMA } from '../../src/audit/access-log.js';
import { AUDIT_CHAIN_SCHEMA } from '../../src/audit/audit-chain.js';
import { DIRECTORY_SCHEMA } from '../../src/directory/directory.schema.js';
import { FEEDS_SCHEMA } from '../../src/feeds/feed-keys.js';
import { IDENTITY_SCHEMA } from '../../src/identity/directory.schema.js';
import { DATABASE_ROLES, grantsScript, missingRoles } from '../../src/platform/database-roles.js';
import { READ_MODELS, READ_MODELS_RUNNER } from '../../src/read-models.js';

/** The DDL a component runs through its own migrate(), captured instead of run. */
async function capture(migrate: (db: SqlDatabase) => Promise<void>): Promise<string> {
  const scripts: string[] = [];
  const refuse = () => Promise.reject(new Error('only DDL is captured'));
  await migrate({
    driver: 'postgres',
    exec: async (script) => void scripts.push(script),
    query: refuse,
    transaction: refuse,
    session: refuse,
    close: refuse,
  });
  return scripts.join('\n');
}

/**
 * Every table as its component declares it today (the components' own tests create their tables
 * from these), with the roles and grants: what the migrations must add up to.
 */
export async function declaredSchema(): Promise<string> {
  return [
    missingRoles(Object.values(DATABASE_ROLES)),
    await capture((db) => new SqlEventStore(db).migrate()),
    IDENTITY_SCHEMA,
    DATA_KEY_SCHEMA,
    DIRECTORY_SCHEMA,
    ACCESS_LOG_SCHEMA,
    AUDIT_CHAIN_SCHEMA,
    FEEDS_SCHEMA,
    await capture((db) => new ProjectionRunner(READ_MODELS_RUNNER, db, new SqlEventStore(db), READ_MODELS).migrate()),
    'CREATE TABLE IF NOT EXISTS schema_version (fingerprint text PRIMARY KEY, migrated_at timestamptz NOT NULL DEFAULT now());',
    // The migrations' record, which the grants name; catalogOf leaves it out.
    'CREATE TABLE schema_migrations (id serial PRIMARY KEY, timestamp bigint NOT NULL, name varchar NOT NULL);',
    grantsScript(),
  ].join('\n');
}

/**
 * What the connected schema is made of, one line per column, constraint, index, trigger, policy,
 * function, row-security switch and grant, leaving out the migrations' own record.
 */
export async function catalogOf(db: SqlDatabase): Promise<string[]> {
  // Definitions name the schema, which differs from one test database to the next.
  const rows = await db.query<{ line: string }>(`
    SELECT replace(line, current_schema() || '.', '') AS line FROM (
    SELECT concat_ws(' ', 'column', table_name, column_name, data_type, is_nullable, column_default, identity_generation) AS line
      FROM information_schema.columns WHERE table_schema = current_schema()
    UNION ALL SELECT concat_ws(' ', 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid))
      FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
    UNION ALL SELECT concat_ws(' ', 'index', indexdef) FROM pg_indexes WHERE schemaname = current_schema()
    UNION ALL SELECT concat_ws(' ', 'trigger', pg_get_triggerdef(t.oid)) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
    UNION ALL SELECT concat_ws(' ', 'policy', tablename, policyname, cmd, roles::text, qual, with_check)
      FROM pg_policies WHERE schemaname = current_schema()
    UNION ALL SELECT concat_ws(' ', 'function', proname, md5(prosrc)) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
    UNION ALL SELECT concat_ws(' ', 'row security', relname, relrowsecurity, relforcerowsecurity)
      FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'
    UNION ALL SELECT concat_ws(' ', 'grant', table_name, grantee, privilege_type)
      FROM information_schema.role_table_grants WHERE table_schema = current_schema()) AS catalog`);
  return rows
    .map((row) => row.line)
    .filter((line) => !line.includes('schema_migrations'))
    .sort();
}
