import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Column, type DataSource, Entity, PrimaryColumn } from 'typeorm';
import { testDatabases } from '../../testing/index.js';
import type { SqlDatabase } from './sql-database.js';
import { createTypeOrmDataSource } from './typeorm-data-source.js';

@Entity('notes')
class Note {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') label!: string;
  @Column('jsonb') body!: Record<string, unknown>;
  @Column('timestamptz', { name: 'written_at' }) writtenAt!: Date;
}

const note = (label: string): Note =>
  Object.assign(new Note(), { id: randomUUID(), label, body: { label, list: [1, 2] }, writtenAt: new Date('2026-01-02T03:04:05.000Z') });
const tick = () => new Promise((resolve) => setImmediate(resolve));

for (const database of testDatabases()) {
  describe(`TypeORM on the SQL port (${database.name})`, () => {
    let db: SqlDatabase;
    let dataSource: DataSource;
    beforeEach(async () => {
      db = await database.open();
      dataSource = await createTypeOrmDataSource(db, { entities: [Note], synchronize: true });
    });
    afterEach(async () => {
      await dataSource.destroy();
      await db.close();
    });

    it("creates the table in the database's own schema and round-trips an entity", async () => {
      const { schema } = (await db.query<{ schema: string }>('SELECT current_schema() AS schema'))[0]!;
      const tables = await db.query<{ table_schema: string }>(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'notes'",
      );
      expect(tables).toEqual([{ table_schema: schema }]);
      const saved = note('first');
      await dataSource.getRepository(Note).save(saved);
      expect(await dataSource.getRepository(Note).findOneBy({ id: saved.id })).toEqual(saved);
    });

    it('reports how many rows an update and a delete touched', async () => {
      const repository = dataSource.getRepository(Note);
      await repository.save([note('a'), note('a'), note('b')]);
      expect((await repository.update({ label: 'a' }, { label: 'c' })).affected).toBe(2);
      expect((await repository.delete({ label: 'c' })).affected).toBe(2);
      expect(await repository.count()).toBe(1);
    });

    it('rolls a failed transaction back', async () => {
      await expect(
        dataSource.transaction(async (manager) => {
          await manager.save(note('doomed'));
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await dataSource.getRepository(Note).count()).toBe(0);
    });

    it("runs concurrent transactions without either seeing the other's uncommitted rows", async () => {
      const run = (label: string) =>
        dataSource.transaction(async (manager) => {
          await manager.save(note(label));
          for (let i = 0; i < 5; i++) await tick();
          await manager.save(note(label));
          return manager.countBy(Note, {});
        });
      const counts = await Promise.all([run('x'), run('y')]);
      // Serialised (PGlite) one sees 2 then 4; on PostgreSQL each sees its own 2 at least, never a partial 3.
      expect(counts.every((count) => count === 2 || count === 4)).toBe(true);
      expect(await dataSource.getRepository(Note).count()).toBe(4);
    });

    it('never lets a plain query land inside a TypeORM transaction that rolls back', async () => {
      let outside: Promise<unknown> | undefined;
      await expect(
        dataSource.transaction(async (manager) => {
          await manager.save(note('inside'));
          outside = db.query(`INSERT INTO notes (id, label, body, written_at) VALUES ($1, 'outside', '{}', now())`, [randomUUID()]);
          await tick();
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await outside;
      expect((await dataSource.getRepository(Note).find()).map((n) => n.label)).toEqual(['outside']);
    });

    it('leaves the database open when TypeORM is closed', async () => {
      await dataSource.destroy();
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      dataSource = await createTypeOrmDataSource(db, { entities: [Note] });
    });
  });
}
