import { randomBytes } from 'node:crypto';
import { PgliteDatabase, PostgresDatabase, type SqlDatabase } from '../../sql/index.js';

/**
 * The databases a suite runs against: PGlite (in memory) always, PostgreSQL when DATABASE_URL is set.
 * Each `open()` gives a fresh, empty database (a new PGlite, or a new schema on the server), so
 * suites and tests never see each other's rows.
 */
export interface TestDatabase {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<SqlDatabase>;
}

export function testDatabases(): TestDatabase[] {
  const databases: TestDatabase[] = [{ name: 'pglite', open: () => PgliteDatabase.open() }];
  const url = process.env.DATABASE_URL;
  if (url) databases.push({ name: 'postgres', open: () => openFreshSchema(url) });
  else if (!announced) {
    announced = true;
    // A skipped leg must say why, in the test output.
    console.info('DATABASE_URL is not set: PostgreSQL legs are skipped, PGlite legs run.');
  }
  return databases;
}
let announced = false;

export async function openFreshSchema(url: string): Promise<SqlDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await PostgresDatabase.open(url, { max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = await PostgresDatabase.open(url, { searchPath: schema });
  // Drop the schema when the test closes the database, so the server does not fill up.
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await db.exec(`DROP SCHEMA ${schema} CASCADE`);
      await close();
    },
  });
}
