import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { freshSchema, urlAs } from '../../testing/index.js';
import { DATABASE_ROLES } from '../../../src/platform/database-roles.js';
import { PostgresDatabase } from './postgres-database.js';

const url = process.env.DATABASE_URL;
if (!url) console.info('DATABASE_URL is not set: the PostgreSQL driver tests are skipped.');

(url ? describe : describe.skip)('PostgresDatabase', () => {
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let db: PostgresDatabase;
  // Each test its own table, so none depends on another's changes.
  const table = () => `t_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    schema = await freshSchema(url!, 'driver');
    db = await PostgresDatabase.open(urlAs(url!, DATABASE_ROLES.owner), { searchPath: schema.name, max: 1 });
  });
  afterAll(async () => {
    await db?.close();
    await schema?.drop();
  });

  it('prepares a statement with parameters once on a connection and runs it again from there', async () => {
    const name = table();
    await db.exec(`CREATE TABLE ${name} (id int PRIMARY KEY, label text)`);
    const sql = `SELECT label FROM ${name} WHERE id = $1`;
    const prepared = await db.transaction(async (tx) => {
      await tx.query(sql, [1]);
      await tx.query(sql, [2]);
      return tx.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1', [sql]);
    });
    expect(prepared).toEqual([{ n: 1 }]);
  });

  it('answers a prepared statement whose table gained a column meanwhile, with the new column', async () => {
    const name = table();
    await db.exec(`CREATE TABLE ${name} (id int PRIMARY KEY); INSERT INTO ${name} VALUES (1)`);
    const sql = `SELECT * FROM ${name} WHERE id = $1`;
    expect(await db.query(sql, [1])).toEqual([{ id: 1 }]);
    await db.exec(`ALTER TABLE ${name} ADD COLUMN label text DEFAULT 'added'`); // as a newer version's migration would
    expect(await db.query(sql, [1])).toEqual([{ id: 1, label: 'added' }]);
    expect(await db.query(sql, [1])).toEqual([{ id: 1, label: 'added' }]);
  });

  it('fails only the one transaction that met a changed table, and runs the statement in the next', async () => {
    const name = table();
    await db.exec(`CREATE TABLE ${name} (id int PRIMARY KEY); INSERT INTO ${name} VALUES (1)`);
    const sql = `SELECT * FROM ${name} WHERE id = $1`;
    const read = () => db.transaction((tx) => tx.query(sql, [1]));
    expect(await read()).toEqual([{ id: 1 }]);
    await db.exec(`ALTER TABLE ${name} ADD COLUMN label text DEFAULT 'added'`);
    await expect(read()).rejects.toThrow(/cached plan must not change result type/);
    expect(await read()).toEqual([{ id: 1, label: 'added' }]);
  });
});
