import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDatabase, PostgresDatabase, type SqlDatabase } from '../../sql/index.js';
import { DATABASE_ROLES } from '../../../src/platform/database-roles.js';
import { createRoles } from '../../../src/platform/database-setup.js';
import { freshPgliteDirectory } from './pglite-template.js';

/**
 * The databases a suite runs against: PGlite always, PostgreSQL when DATABASE_URL is set.
 * Each `open()` gives a fresh, empty database (a new PGlite, or a new schema on the server), so
 * suites and tests never see each other's rows. The PGlite is on disk, a copy of the run's template
 * (see pglite-template.ts), and removed when closed.
 */
export interface TestDatabase {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<SqlDatabase>;
}

export function testDatabases(): TestDatabase[] {
  const databases: TestDatabase[] = [{ name: 'pglite', open: openFreshPglite }];
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

async function openFreshPglite(): Promise<SqlDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'referral-pglite-'));
  const dataDir = join(dir, 'pgdata');
  await freshPgliteDirectory(dataDir);
  // A test database outlives no crash: flushing every commit to disk would only slow the tests.
  return closingAlso(await PgliteDatabase.open(dataDir, { fsync: false }), () => rm(dir, { recursive: true, force: true }));
}

/** `db`, whose close then also runs `cleanUp`: so that what a test opened is gone when it closes it. */
function closingAlso(db: SqlDatabase, cleanUp: () => Promise<void>): SqlDatabase {
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      await close();
      await cleanUp();
    },
  });
}

/**
 * The same server and database as the administrator's `url`, logged in as `role` instead. The
 * test roles share the administrator's password, if the URL has one (a server that trusts local
 * connections, as `.ci/run` sets it up, needs none).
 */
export function urlAs(url: string, role: string): string {
  const parsed = new URL(url);
  parsed.username = role;
  return parsed.toString();
}

let rolesCreated: Promise<void> | undefined;

/** A new schema owned by the service's owner role (the roles created once per test process); `drop` removes it. */
export async function freshSchema(url: string, prefix = 't'): Promise<{ name: string; drop(): Promise<void> }> {
  const admin = await PostgresDatabase.open(url, { max: 1 });
  try {
    const password = decodeURIComponent(new URL(url).password) || undefined;
    rolesCreated ??= createRoles(admin, { owner: password, app: password, projector: password });
    await rolesCreated;
    const name = `${prefix}_${randomBytes(6).toString('hex')}`;
    await admin.exec(`CREATE SCHEMA ${name} AUTHORIZATION ${DATABASE_ROLES.owner}`);
    return {
      name,
      drop: async () => {
        const dropping = await PostgresDatabase.open(url, { max: 1 });
        await dropping.exec(`DROP SCHEMA ${name} CASCADE`).finally(() => dropping.close());
      },
    };
  } finally {
    await admin.close();
  }
}

/**
 * A fresh schema, connected as its owner: an ordinary role, as in production, that may create
 * and change the tables of its own schema and nothing else (the components' own tests migrate).
 */
export async function openFreshSchema(url: string): Promise<SqlDatabase> {
  const schema = await freshSchema(url);
  // Drop the schema when the test closes the database, so the server does not fill up.
  return closingAlso(await PostgresDatabase.open(urlAs(url, DATABASE_ROLES.owner), { searchPath: schema.name }), () => schema.drop());
}
