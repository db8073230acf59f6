import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PostgresDatabase, type SqlDatabase } from '../libs/sql/index.js';
import { freshSchema, testDatabases, urlAs } from '../libs/testing/index.js';
import { DATABASE_ROLES } from '../src/platform/database-roles.js';
import { MIGRATIONS } from '../src/platform/migrations/index.js';
import { MIGRATIONS_TABLE, migrateSchema, prepareSchema } from '../src/platform/schema.js';
import { bearerOf, consentBody, giveConsent, post, provision, read, referredCase } from './support/case-steps.js';
import { partnerKeyPair } from './support/kafka-feeds.js';
import { catalogOf, declaredSchema } from './support/declared-schema.js';
import { AddAgencyMotto1893456000000, Failing1893456000001 } from './support/later-migrations.js';
import { APP_DRIVERS, eventually, useTestApp } from './support/test-app.js';

/** The one script commit 8a98d27 ran at every start (roles, every table, grants, its fingerprint), as it ran it. */
const scriptOf8a98d27 = () => readFile(join(process.cwd(), 'test/fixtures/schema-script-8a98d27.sql'), 'utf8');

type Contents = Record<string, { rows: number; digest: string; columns: string[] }>;

/**
 * Every table of the connected schema but the migrations' own record, each with its row count and a
 * digest of its rows. `as`: the tables and columns of an earlier reading, so rows are compared on
 * what they held then (a later migration may add a column, never change what was there).
 */
async function contents(db: SqlDatabase, as?: Contents): Promise<Contents> {
  const tables = as
    ? Object.keys(as)
    : (
        await db.query<{ name: string }>(
          `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '${MIGRATIONS_TABLE}' ORDER BY 1`,
        )
      ).map((t) => t.name);
  const read: Contents = {};
  for (const name of tables) {
    const columns = as?.[name]?.columns ?? (await columnsOf(db, name)).sort();
    const [row] = await db.query<{ rows: number; digest: string }>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest
       FROM (SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${name}) t`,
    );
    read[name] = { ...row!, columns };
  }
  return read;
}

/** What the migrations after version 1 added, taken away again: the schema exactly as 8a98d27 left it, rows and all. */
const UNDO_SINCE_VERSION_1 = `
DROP TABLE audit_chain_event_places;
DROP TABLE agency_feed_key_changes;
DROP TABLE feed_published_keys;
ALTER TABLE agency_feed_keys DROP COLUMN pseudonym_secret, DROP COLUMN closed_at;
ALTER TABLE directory_services DROP COLUMN listed_organization_id, DROP COLUMN hsds, DROP COLUMN confidential,
  ALTER COLUMN agency_id SET NOT NULL, ALTER COLUMN service_type SET NOT NULL;
ALTER TABLE directory_locations DROP COLUMN listed_organization_id, DROP COLUMN hsds, ALTER COLUMN agency_id SET NOT NULL;
ALTER TABLE directory_agency_profiles DROP COLUMN hsds;
ALTER TABLE directory_service_locations DROP COLUMN hsds;
DROP TABLE directory_listed_organizations;
ALTER TABLE users DROP COLUMN password_change_required;
DROP TRIGGER users_principals_changed ON users; -- it names the column; the script below makes it again
ALTER TABLE users DROP COLUMN credentials_version;
DROP INDEX agency_case_views_list; -- the script below makes it again, in its order of then`;

const ranMigrations = async (db: SqlDatabase) =>
  (await db.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)).map((row) => row.name);

describe.each(APP_DRIVERS)('a database the service made before versioned migrations (%s)', (driver) => {
  const t = useTestApp({ driver });
  /**
   * Runs `work` as a superuser, who sees every row (the per-agency tables show theirs to their own
   * policies' roles only): on PGlite the service's one user, on PostgreSQL the administrator.
   */
  let asAdministrator: <T>(work: (db: SqlDatabase) => Promise<T>) => Promise<T>;
  let before: Contents;
  let caseId: string;
  let ranAtUpgrade: string[] | undefined;

  beforeAll(async () => {
    const shelterId = await t.agencyId('Shelter');
    ({ caseId } = await referredCase(t, shelterId, { person: { identity: { fullName: 'Migration Test-Person' } } }));
    await read(t, `/cases/${caseId}`, 'caseworker.shelter');
    await giveConsent(t, caseId, consentBody([{ ...provision(shelterId), validUntil: '2099-01-01T00:00:00.000Z' }]));
    expect((await post(t, '/agency/api-keys', { name: 'partner system' }, 'admin.shelter')).status).toBe(201);
    const feedKey = (await partnerKeyPair()).publicJwk;
    await t.http
      .put('/agency/feed-key')
      .set(await bearerOf(t, 'admin.shelter'))
      .send({ jwk: feedKey })
      .expect(200);
    await eventually(
      () => t.owner.query('SELECT 1 FROM consent_deadlines'),
      (rows) => rows.length > 0,
    );
    const schema = (await t.owner.query<{ schema: string }>('SELECT current_schema() AS schema'))[0]!.schema;
    asAdministrator = async (work) => {
      if (driver === 'pglite') return work(t.owner);
      const admin = await PostgresDatabase.open(process.env.DATABASE_URL!, { searchPath: schema, max: 1 });
      return work(admin).finally(() => admin.close());
    };
    await t.restart({
      beforeStart: async (stopped) => {
        const backTo8a98d27 = async (admin: SqlDatabase) => {
          // Back to what 8a98d27 left: no record of migrations, its script run once more as at each of its starts.
          await admin.exec(`DROP TABLE ${MIGRATIONS_TABLE};\n${UNDO_SINCE_VERSION_1}\n${await scriptOf8a98d27()}`);
          // The feed relay's checkpoint, as `npm run relay` keeps it (the relay needs a broker to run here).
          await admin.query(`INSERT INTO feed_relay_checkpoints (relay, position, updated_at) VALUES ('kafka', NULL, now())`);
          before = await contents(admin);
        };
        // PGlite: its data directory, which the stopped service leaves free; PostgreSQL: as the administrator.
        await (driver === 'pglite' ? backTo8a98d27(stopped) : asAdministrator(backTo8a98d27));
        // PostgreSQL: the owner migrates before the new version starts (`npm run migrate`); PGlite migrates at start.
        if (driver === 'postgres') ranAtUpgrade = await migrateSchema(t.owner);
      },
    });
  }, 600_000);

  it('held rows in every table before the upgrade', () => {
    expect(Object.entries(before).filter(([, table]) => table.rows === 0)).toEqual([]);
  });

  it('keeps every row of every table', async () => {
    expect(await asAdministrator((db) => contents(db, before))).toEqual(before);
  });

  it('records the database as at version 1', async () => {
    expect(await ranMigrations(t.owner)).toEqual(MIGRATIONS.map((migration) => migration.name));
    if (driver === 'postgres') expect(ranAtUpgrade).toEqual(MIGRATIONS.map((migration) => migration.name));
  });

  it('serves the cases it held, and takes new ones', async () => {
    // read() expects 200 itself.
    expect(JSON.stringify(await read(t, `/cases/${caseId}`, 'caseworker.shelter'))).toContain('Migration Test-Person');
    expect((await post(t, '/cases', { source: 'hotline', ageGroup: 'adult', indicators: [] })).status).toBe(201);
  });
});

const columnsOf = async (db: SqlDatabase, table: string) =>
  (
    await db.query<{ name: string }>(
      'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
      [table],
    )
  ).map((row) => row.name);

describe.each(testDatabases())('the schema migrations on $name', (database) => {
  const withDatabase = async (work: (db: SqlDatabase) => Promise<void>) => {
    const db = await database.open();
    await work(db).finally(() => db.close());
  };
  const version1 = MIGRATIONS.map((migration) => migration.name);

  it('build from nothing exactly the schema a database of 8a98d27 has once upgraded', async () => {
    await withDatabase(async (migrated) =>
      withDatabase(async (scripted) => {
        await migrateSchema(migrated);
        await scripted.exec(await scriptOf8a98d27());
        await migrateSchema(scripted);
        expect(await catalogOf(migrated)).toEqual(await catalogOf(scripted));
      }),
    );
  });

  it('build exactly the schema the components declare (a component whose tables change needs a migration)', async () => {
    await withDatabase(async (migrated) =>
      withDatabase(async (declared) => {
        await migrateSchema(migrated);
        await declared.exec(await declaredSchema());
        expect(await catalogOf(migrated)).toEqual(await catalogOf(declared));
      }),
    );
  });

  it('recognise a database the script of 8a98d27 made as version 1 without running anything', async () => {
    await withDatabase(async (db) => {
      await db.exec(await scriptOf8a98d27());
      // An index the script creates, gone: running version 1 would bring it back.
      await db.exec('DROP INDEX consent_deadlines_by_time');
      expect(await migrateSchema(db)).toEqual(version1);
      expect(
        await db.query(`SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'consent_deadlines_by_time'`),
      ).toEqual([]);
    });
  });

  it('run nothing twice', async () => {
    await withDatabase(async (db) => {
      await migrateSchema(db);
      expect(await migrateSchema(db)).toEqual([]);
      expect(await ranMigrations(db)).toEqual(version1);
    });
  });

  it('upgrade a version-1 database with a later migration, keep its rows, and record it', async () => {
    await withDatabase(async (db) => {
      await migrateSchema(db);
      await db.query(`INSERT INTO agencies (id, name, kind) VALUES (gen_random_uuid(), 'Old Agency', 'government_social_service')`);
      expect(await migrateSchema(db, [...MIGRATIONS, AddAgencyMotto1893456000000])).toEqual(['AddAgencyMotto1893456000000']);
      expect(await columnsOf(db, 'agencies')).toContain('motto');
      expect(await db.query('SELECT name, motto FROM agencies')).toEqual([{ name: 'Old Agency', motto: null }]);
      expect(await ranMigrations(db)).toEqual([...version1, 'AddAgencyMotto1893456000000']);
    });
  });

  it('roll a failing migration back whole, with every other migration of the same run', async () => {
    await withDatabase(async (db) => {
      await migrateSchema(db);
      await expect(migrateSchema(db, [...MIGRATIONS, AddAgencyMotto1893456000000, Failing1893456000001])).rejects.toThrow(
        /division by zero/,
      );
      expect(await columnsOf(db, 'agencies')).not.toContain('motto');
      expect(await columnsOf(db, 'users')).not.toContain('nickname');
      expect(await ranMigrations(db)).toEqual(version1);
    });
  });

  it('leave an empty database empty when one of its first migrations fails', async () => {
    await withDatabase(async (db) => {
      await expect(migrateSchema(db, [...MIGRATIONS, Failing1893456000001])).rejects.toThrow(/division by zero/);
      expect(await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)).toEqual([]);
    });
  });
});

const url = process.env.DATABASE_URL;
(url ? describe : describe.skip)('instances starting together on PostgreSQL', () => {
  it('migrate once: each pending migration runs in one of them, the others find it done', async () => {
    const schema = await freshSchema(url!, 'together');
    const migrations = [...MIGRATIONS, AddAgencyMotto1893456000000];
    const instances = await Promise.all(
      Array.from({ length: 4 }, () => PostgresDatabase.open(urlAs(url!, DATABASE_ROLES.owner), { searchPath: schema.name, max: 2 })),
    );
    try {
      // Adding the same column twice would fail: all four starting proves it was added once.
      const started = await Promise.allSettled(instances.map((db) => prepareSchema(db, migrations)));
      expect(started.filter((s) => s.status === 'rejected').map((s) => String(s.reason))).toEqual([]);
      expect(await ranMigrations(instances[0]!)).toEqual(migrations.map((migration) => migration.name));
    } finally {
      await Promise.all(instances.map((db) => db.close()));
      await schema.drop();
    }
  });
});
