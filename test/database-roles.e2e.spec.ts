import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { freshSchema, urlAs } from '../libs/testing/index.js';
import { PostgresDatabase, type SqlDatabase } from '../libs/sql/index.js';
import { AGENCY_READER_ROLE } from '../src/platform/agency-scope.js';
import { DATABASE_ROLES } from '../src/platform/database-roles.js';
import { setupDatabase } from '../src/platform/database-setup.js';
import { MIGRATIONS } from '../src/platform/migrations/index.js';
import { migrateSchema, prepareSchema } from '../src/platform/schema.js';
import { read, referredCase } from './support/case-steps.js';
import { AddAgencyMotto1893456000000 } from './support/later-migrations.js';
import { eventually, useTestApp } from './support/test-app.js';

const url = process.env.DATABASE_URL;
const PROTECTED = ['events', 'audit_chain', 'consent_trail', 'personal_data_access'];
const PER_AGENCY = ['agency_case_views', 'referral_inbox'];

// PGlite has one user, a superuser: roles only mean something on a PostgreSQL server.
if (!url) console.info('DATABASE_URL is not set: the least-privilege tests need PostgreSQL and are skipped.');
(url ? describe : describe.skip)('least privilege on PostgreSQL', () => {
  describe('the running service', () => {
    const t = useTestApp({ driver: 'postgres' });
    let shelterId: string;
    let caseId: string;
    const count = async (db: SqlDatabase, table: string) =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
    const asReader = (agencyId: string | null, table: string) =>
      t.db.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE ${AGENCY_READER_ROLE}`);
        if (agencyId) await tx.query(`SELECT set_config('app.agency_id', $1, true)`, [agencyId]);
        return tx.query<{ agency_id: string }>(`SELECT agency_id FROM ${table}`);
      });

    beforeAll(async () => {
      shelterId = await t.agencyId('Shelter');
      ({ caseId } = await referredCase(t, shelterId, { person: { identity: { fullName: 'Roles Test-Person' } } }));
      // Every protected table holds rows: the shelter reads the case (an access record), the inbox has the referral.
      await read(t, `/cases/${caseId}`, 'caseworker.shelter');
      await eventually(
        () => asReader(shelterId, 'referral_inbox'),
        (rows) => rows.length > 0,
      );
    });

    it('logs in as an ordinary role: not a superuser, no RLS bypass, owner of no table', async () => {
      const [me] = await t.db.query(
        `SELECT session_user AS login, current_user AS role, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
                (SELECT count(*)::int FROM pg_tables WHERE schemaname = current_schema() AND tableowner = current_user) AS owned
           FROM pg_roles WHERE rolname = current_user`,
      );
      expect(me).toEqual({
        login: DATABASE_ROLES.app,
        role: DATABASE_ROLES.app,
        rolsuper: false,
        rolbypassrls: false,
        rolcreaterole: false,
        rolcreatedb: false,
        owned: 0,
      });
    });

    it.each(PROTECTED)('cannot switch off the append-only triggers of %s', async (table) => {
      await expect(t.db.exec(`ALTER TABLE ${table} DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
      await expect(t.db.exec(`ALTER TABLE ${table} DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner/);
    });

    it.each(
      PROTECTED.flatMap((table) => [
        `UPDATE ${table} SET ${table === 'personal_data_access' ? 'categories = categories' : table === 'audit_chain' ? 'ref = ref' : 'event_id = event_id'}`,
        `DELETE FROM ${table}`,
        `TRUNCATE ${table}`,
      ]),
    )('is refused %s, and the rows stay', async (statement) => {
      const table = /(?:UPDATE|FROM|TRUNCATE) (\w+)/.exec(statement)![1]!;
      const before = await count(t.owner, table);
      expect(before).toBeGreaterThan(0);
      await expect(t.db.query(statement)).rejects.toThrow(/permission denied/);
      expect(await count(t.owner, table)).toBe(before);
    });

    it('cannot give an event a position of its own choosing, which would hide every later event from readers', async () => {
      const picked = `INSERT INTO events (global_position, stream_id, stream_revision, event_id, event_type, data, metadata) OVERRIDING SYSTEM VALUE
        VALUES (9000000000000000000, 'case-far', 0, gen_random_uuid(), 'Far', '{}', '{}')`;
      await expect(t.db.query(picked)).rejects.toThrow(/events take their position from the store/);
      expect(await count(t.owner, "events WHERE stream_id = 'case-far'")).toBe(0);
    });

    it('leaves UPDATE, DELETE and TRUNCATE of the events, the chain, the consent trail and the access log to no role but the owner', async () => {
      const granted = await t.db.query(
        `SELECT r.name AS role, t.name AS table, p.name AS privilege
           FROM unnest($1::text[]) AS r(name), unnest($2::text[]) AS t(name), unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p(name)
          WHERE has_table_privilege(r.name, t.name, p.name)`,
        [[DATABASE_ROLES.app, DATABASE_ROLES.projector, DATABASE_ROLES.agencyReader], PROTECTED],
      );
      expect(granted).toEqual([]);
    });

    it.each(PER_AGENCY)('cannot switch off or loosen the row-level security of %s', async (table) => {
      for (const statement of [
        `ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`,
        `ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`,
        `DROP POLICY ${table}_by_agency ON ${table}`,
        `CREATE POLICY everything ON ${table} FOR SELECT TO ${DATABASE_ROLES.app} USING (true)`,
      ]) {
        await expect(t.db.exec(statement)).rejects.toThrow(/must be owner/);
      }
    });

    it.each(PER_AGENCY)(
      "reads no row of %s on its own: not directly, not as the reader without an agency, nor another agency's as one",
      async (table) => {
        await expect(t.db.query(`SELECT * FROM ${table}`)).rejects.toThrow(/permission denied/);
        expect(await asReader(null, table)).toEqual([]);
        expect((await asReader(shelterId, table)).map((r) => r.agency_id)).toEqual([shelterId]);
        expect(await asReader(await t.agencyId('Police'), table)).toEqual([]);
      },
    );

    it.each(PER_AGENCY)(
      'holds even the owner of %s to the policies (FORCE): it sees none of the rows the projector keeps',
      async (table) => {
        const kept = await t.db.transaction(async (tx) => {
          await tx.query(`SET LOCAL ROLE ${DATABASE_ROLES.projector}`);
          return (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
        });
        expect(kept).toBeGreaterThan(0);
        expect(await count(t.owner, table)).toBe(0);
      },
    );

    it('cannot become the owner, create a table, or give itself more rights', async () => {
      await expect(t.db.exec(`SET ROLE ${DATABASE_ROLES.owner}`)).rejects.toThrow(/permission denied/);
      await expect(t.db.exec('CREATE TABLE intruder (id int)')).rejects.toThrow(/permission denied for schema/);
      await t.db.exec(`GRANT UPDATE, DELETE ON events TO ${DATABASE_ROLES.app}`); // PostgreSQL only warns that it granted nothing
      expect(await t.db.query(`SELECT has_table_privilege('events', 'UPDATE') OR has_table_privilege('events', 'DELETE') AS may`)).toEqual([
        { may: false },
      ]);
      await expect(t.db.exec(`ALTER ROLE ${DATABASE_ROLES.app} BYPASSRLS`)).rejects.toThrow(/must be superuser/);
    });

    it('runs the projector as a role that reads the events and writes only the read models', async () => {
      const schema = (await t.db.query<{ name: string }>('SELECT current_schema() AS name'))[0]!.name;
      const projector = await PostgresDatabase.open(urlAs(url!, DATABASE_ROLES.projector), { searchPath: schema, max: 1 });
      try {
        expect(await count(projector, 'events')).toBeGreaterThan(0);
        await expect(
          projector.query(
            `INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata) VALUES ('x', 0, gen_random_uuid(), 'X', '{}', '{}')`,
          ),
        ).rejects.toThrow(/permission denied/);
        for (const table of ['users', 'case_data_keys', 'personal_data_access', 'api_keys'])
          await expect(projector.query(`SELECT 1 FROM ${table}`)).rejects.toThrow(/permission denied/);
        await expect(projector.query('DELETE FROM consent_trail')).rejects.toThrow(/permission denied/);
      } finally {
        await projector.close();
      }
    });
  });

  describe('the schema', () => {
    const asRole = (schema: string, role: string) => PostgresDatabase.open(urlAs(url!, role), { searchPath: schema, max: 1 });

    it('is checked, not changed, by the service: it refuses to start until the owner has migrated it to this very version', async () => {
      const schema = await freshSchema(url!, 'schema');
      const [owner, app] = [await asRole(schema.name, DATABASE_ROLES.owner), await asRole(schema.name, DATABASE_ROLES.app)];
      try {
        await expect(prepareSchema(app)).rejects.toThrow(/npm run migrate/);
        await prepareSchema(owner); // the owner may, so it migrates
        await expect(prepareSchema(app)).resolves.toBeUndefined();
        // A version with one more migration than the owner ran.
        await expect(prepareSchema(app, [...MIGRATIONS, AddAgencyMotto1893456000000])).rejects.toThrow(/npm run migrate/);
        expect(
          await owner.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'motto'`),
        ).toEqual([]);
      } finally {
        await Promise.all([owner.close(), app.close()]);
        await schema.drop();
      }
    });

    it('is not migrated while a table has no privileges decided for it', async () => {
      const schema = await freshSchema(url!, 'schema');
      const owner = await asRole(schema.name, DATABASE_ROLES.owner);
      try {
        await owner.exec('CREATE TABLE stray (id int)');
        await expect(migrateSchema(owner)).rejects.toThrow(/no privileges decided for table\(s\) stray/);
        expect(await owner.query(`SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'events'`)).toEqual([]); // nothing half-done
      } finally {
        await owner.close();
        await schema.drop();
      }
    });
  });

  describe('npm run db:setup-roles', () => {
    /** A database of its own: the setup sets the roles' search path per database. */
    const withDatabase = async (work: (adminUrl: string, admin: SqlDatabase) => Promise<void>) => {
      const name = `roles_${randomBytes(6).toString('hex')}`;
      const server = await PostgresDatabase.open(url!, { max: 1 });
      await server.query(`CREATE DATABASE ${name}`);
      const adminUrl = Object.assign(new URL(url!), { pathname: `/${name}` }).toString();
      const admin = await PostgresDatabase.open(adminUrl, { max: 1 });
      try {
        await work(adminUrl, admin);
      } finally {
        await admin.close();
        await server.query(`DROP DATABASE ${name}`);
        await server.close();
      }
    };
    const connectAs = (adminUrl: string, role: string) => PostgresDatabase.open(urlAs(adminUrl, role), { max: 1 });

    it('makes a database ready for the service in its own schema, and can run again', async () => {
      await withDatabase(async (adminUrl) => {
        await setupDatabase(adminUrl, { schema: 'referrals' });
        await setupDatabase(adminUrl, { schema: 'referrals' });
        const app = await connectAs(adminUrl, DATABASE_ROLES.app);
        try {
          expect(await app.query('SELECT current_schema() AS schema')).toEqual([{ schema: 'referrals' }]);
          await expect(prepareSchema(app)).resolves.toBeUndefined();
          const owners = await app.query<{ owner: string }>(
            `SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'referrals'`,
          );
          expect(owners).toEqual([{ owner: DATABASE_ROLES.owner }]);
        } finally {
          await app.close();
        }
      });
    });

    it('takes over a database the service used to create as a superuser, data included', async () => {
      await withDatabase(async (adminUrl, admin) => {
        await migrateSchema(admin); // the old way: the service itself, as a superuser, in public
        await admin.query(`INSERT INTO agencies (id, name, kind) VALUES (gen_random_uuid(), 'Old Agency', 'government_social_service')`);
        await setupDatabase(adminUrl, { schema: 'public' });
        const app = await connectAs(adminUrl, DATABASE_ROLES.app);
        try {
          await expect(prepareSchema(app)).resolves.toBeUndefined();
          expect(await app.query('SELECT name FROM agencies')).toEqual([{ name: 'Old Agency' }]);
          expect(await app.query(`SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'`)).toEqual([
            { owner: DATABASE_ROLES.owner },
          ]);
          await expect(app.exec('ALTER TABLE events DISABLE TRIGGER USER')).rejects.toThrow(/must be owner/);
        } finally {
          await app.close();
        }
      });
    });
  });
});
