import { createHash } from 'node:crypto';
import { DATA_KEY_SCHEMA } from '../../libs/crypto/index.js';
import { SqlEventStore } from '../../libs/event-store/index.js';
import { ProjectionRunner } from '../../libs/projections/index.js';
import { type SqlDatabase, sqlState } from '../../libs/sql/index.js';
import { ACCESS_LOG_SCHEMA } from '../audit/access-log.js';
import { AUDIT_CHAIN_SCHEMA } from '../audit/audit-chain.js';
import { DIRECTORY_SCHEMA } from '../directory/directory.schema.js';
import { FEEDS_SCHEMA } from '../feeds/feed-keys.js';
import { IDENTITY_SCHEMA } from '../identity/directory.schema.js';
import { READ_MODELS, READ_MODELS_RUNNER } from '../read-models.js';
import { DATABASE_ROLES, grantsScript, missingRoles } from './database-roles.js';

/** The database's schema is missing, or older than this version, and the connected role may not change it. */
export class SchemaNotReadyError extends Error {
  constructor() {
    super(
      'the database schema is missing or not at this version, and this role may not change it: run `npm run db:migrate` as the schema owner first',
    );
    this.name = 'SchemaNotReadyError';
  }
}

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

/** The whole schema of the service in one idempotent script, and its fingerprint (the schema's version). */
async function schemaScript(): Promise<{ script: string; fingerprint: string }> {
  const ddl = [
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
    grantsScript(),
  ].join('\n');
  const fingerprint = createHash('sha256').update(ddl).digest('hex');
  return { script: `${ddl}\nINSERT INTO schema_version (fingerprint) VALUES ('${fingerprint}') ON CONFLICT DO NOTHING;`, fingerprint };
}

/** Creates or brings up to date every table, trigger, policy and grant, in one transaction. */
export async function migrateSchema(db: SqlDatabase): Promise<void> {
  await db.exec((await schemaScript()).script);
}

/** Whether the connected role has the rights of the current schema's owner (a superuser has them all). */
export async function mayMigrate(db: SqlDatabase): Promise<boolean> {
  const [schema] = await db.query<{ may: boolean }>(
    `SELECT pg_has_role(current_user, nspowner, 'USAGE') AS may FROM pg_namespace WHERE nspname = current_schema()`,
  );
  return schema?.may === true;
}

/**
 * At start: a connection that may change the schema (PGlite's single user, the schema owner, a
 * superuser) migrates it; any other (the app's and the projector's roles) only checks that the
 * owner has migrated it to exactly this version, and refuses to start otherwise.
 */
export async function prepareSchema(db: SqlDatabase): Promise<void> {
  if (await mayMigrate(db)) return migrateSchema(db);
  const { fingerprint } = await schemaScript();
  const present = await db.query('SELECT 1 FROM schema_version WHERE fingerprint = $1', [fingerprint]).catch((error: unknown) => {
    if (sqlState(error) === UNDEFINED_TABLE) return [];
    throw error;
  });
  if (present.length === 0) throw new SchemaNotReadyError();
}
const UNDEFINED_TABLE = '42P01';
