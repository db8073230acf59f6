import { MigrationExecutor, type QueryRunner } from 'typeorm';
import { SCHEMA_LOCK, type SqlDatabase, createTypeOrmDataSource, sqlState } from '../../libs/sql/index.js';
import { DATABASE_ROLES, grantsScript, missingRoles } from './database-roles.js';
import { MIGRATIONS, type Migration, runScript } from './migrations/index.js';

/** Where TypeORM records the migrations that ran: one row each, named by its class. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/** The database's schema is missing, or not at this version, and the connected role may not change it. */
export class SchemaNotReadyError extends Error {
  constructor() {
    super(
      'the database schema is missing or not at this version, and this role may not change it: run `npm run migrate` as the schema owner first',
    );
    this.name = 'SchemaNotReadyError';
  }
}

/** TypeORM's migration runner on one connection of `db` (PGlite or PostgreSQL alike: libs/sql), released after `work`. */
async function onOneConnection<T>(
  db: SqlDatabase,
  migrations: readonly Migration[],
  work: (executor: MigrationExecutor, queryRunner: QueryRunner) => Promise<T>,
): Promise<T> {
  const dataSource = await createTypeOrmDataSource(db, {
    entities: [],
    migrations: [...migrations],
    migrationsTableName: MIGRATIONS_TABLE,
  });
  const queryRunner = dataSource.createQueryRunner();
  try {
    return await work(new MigrationExecutor(dataSource, queryRunner), queryRunner);
  } finally {
    await queryRunner.release();
    await dataSource.destroy();
  }
}

/**
 * Runs the migrations this database has not had yet, then grants exactly what TABLE_PRIVILEGES
 * says, all in one transaction: a failure anywhere leaves the database as it was. The transaction
 * first takes an advisory lock, so processes starting together migrate one after the other (the
 * later ones find nothing left to do). Returns the names of the migrations that ran.
 */
export async function migrateSchema(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<string[]> {
  return onOneConnection(db, migrations, async (executor, queryRunner) => {
    await queryRunner.startTransaction();
    try {
      await queryRunner.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`);
      // Policies in the migrations name the roles, so they exist first.
      await runScript(queryRunner, missingRoles(Object.values(DATABASE_ROLES)));
      const ran = await executor.executePendingMigrations();
      await runScript(queryRunner, grantsScript());
      await queryRunner.commitTransaction();
      return ran.map((migration) => migration.name);
    } catch (error) {
      await queryRunner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  });
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
 * owner has run exactly this version's migrations, and refuses to start otherwise.
 */
export async function prepareSchema(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  if (await mayMigrate(db)) {
    await migrateSchema(db, migrations);
    return;
  }
  const ran = await db.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`).catch((error: unknown) => {
    if (sqlState(error) === UNDEFINED_TABLE) return [];
    throw error;
  });
  const expected = migrations.map((migration) => migration.name).sort();
  if (
    ran
      .map((row) => row.name)
      .sort()
      .join() !== expected.join()
  )
    throw new SchemaNotReadyError();
}
const UNDEFINED_TABLE = '42P01';
