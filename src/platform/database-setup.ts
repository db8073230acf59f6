import { PostgresDatabase, type SqlClient, type SqlDatabase } from '../../libs/sql/index.js';
import { DATABASE_ROLES } from './database-roles.js';
import { migrateSchema } from './schema.js';

export interface RolePasswords {
  readonly owner?: string;
  readonly app?: string;
  readonly projector?: string;
}

/** Serialises role changes (cluster-wide catalogs) between administrators and test processes. */
const ROLES_LOCK = 7_451_034;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates the service's roles, or brings existing ones back to these attributes: the three login
 * roles are ordinary (anything more, such as superuser or BYPASSRLS, is refused, not silently
 * kept); the app does not inherit the roles it may become, so it holds their rights only after an
 * explicit SET ROLE, one transaction at a time, and no other membership. A password is set only
 * when given.
 */
export async function createRoles(admin: SqlDatabase, passwords: RolePasswords = {}): Promise<void> {
  await admin.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${ROLES_LOCK})`);
    const { owner, app, projector, agencyReader } = DATABASE_ROLES;
    await ensureRole(tx, owner, 'LOGIN INHERIT', passwords.owner);
    await ensureRole(tx, app, 'LOGIN NOINHERIT', passwords.app);
    await ensureRole(tx, projector, 'LOGIN INHERIT', passwords.projector);
    await ensureRole(tx, agencyReader, 'NOLOGIN');
    const [elevated] = await tx.query<{ roles: string | null }>(
      `SELECT string_agg(rolname, ', ') AS roles FROM pg_roles
        WHERE rolname = ANY($1::text[]) AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)`,
      [Object.values(DATABASE_ROLES)],
    );
    if (elevated?.roles)
      throw new Error(
        `role(s) ${elevated.roles} have superuser, role or database creation, replication or BYPASSRLS: remove them (ALTER ROLE ... NOSUPERUSER ...)`,
      );
    for (const member of Object.values(DATABASE_ROLES)) await revokeMemberships(tx, member);
    await tx.query(`GRANT ${agencyReader}, ${projector} TO ${app}`);
  });
}

async function ensureRole(tx: SqlClient, role: string, attributes: string, password?: string): Promise<void> {
  const [exists] = await tx.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  await tx.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} ${attributes}`);
  if (password === undefined) return;
  // DDL takes no parameters: the server quotes the password itself.
  const [statement] = await tx.query<{ sql: string }>(`SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text) AS sql`, [
    role,
    password,
  ]);
  await tx.query(statement!.sql);
}

/** Every role `member` may become, taken away (the app's two are granted again in the same transaction). */
async function revokeMemberships(tx: SqlClient, member: string): Promise<void> {
  const granted = await tx.query<{ sql: string }>(
    `SELECT format('REVOKE %I FROM %I', r.rolname, $1::text) AS sql
       FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1`,
    [member],
  );
  for (const { sql } of granted) await tx.query(sql);
}

/**
 * Gives `schema` (created if missing) and everything already in it to the owner role, the upgrade
 * path of a database the service used to create as a superuser, and lets nobody else create in it.
 */
export async function ownSchema(admin: SqlDatabase, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error('the schema name must be a plain lower-case SQL identifier');
  const { owner } = DATABASE_ROLES;
  await admin.transaction(async (tx) => {
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${owner}`);
    await tx.query(`ALTER SCHEMA ${schema} OWNER TO ${owner}`);
    await tx.query(`REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC`);
    const objects = await tx.query<{ sql: string }>(
      `SELECT format('ALTER TABLE %I.%I OWNER TO %I', n.nspname, c.relname, $2::text) AS sql
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND pg_get_userbyid(c.relowner) <> $2
       UNION ALL
       SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, $2::text)
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = $1 AND pg_get_userbyid(p.proowner) <> $2`,
      [schema, owner],
    );
    for (const { sql } of objects) await tx.query(sql);
  });
}

/** The URL of the same server and database with one more session setting, e.g. `-c role=...`. */
export function withOptions(url: string, options: string): string {
  const parsed = new URL(url);
  const existing = parsed.searchParams.get('options');
  parsed.searchParams.set('options', existing ? `${existing} ${options}` : options);
  return parsed.toString();
}

/**
 * `npm run db:setup-roles`: everything a database administrator does once (and again after an
 * upgrade, harmlessly): the roles, the schema given to the owner, the roles' search path, then
 * the migration run as the owner (the administrator becomes it, so no owner password is needed).
 */
export async function setupDatabase(adminUrl: string, options: { schema: string; passwords?: RolePasswords }): Promise<void> {
  const admin = await PostgresDatabase.open(adminUrl, { max: 1 });
  try {
    await createRoles(admin, options.passwords);
    await ownSchema(admin, options.schema);
    for (const role of [DATABASE_ROLES.owner, DATABASE_ROLES.app, DATABASE_ROLES.projector]) {
      await admin.exec(
        `DO $$ BEGIN EXECUTE format('ALTER ROLE ${role} IN DATABASE %I SET search_path = ${options.schema}', current_database()); END $$;`,
      );
    }
  } finally {
    await admin.close();
  }
  const asOwner = await PostgresDatabase.open(withOptions(adminUrl, `-c role=${DATABASE_ROLES.owner} -c search_path=${options.schema}`), {
    max: 1,
  });
  try {
    await migrateSchema(asOwner);
  } finally {
    await asOwner.close();
  }
}
