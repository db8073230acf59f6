import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SqlEventStore } from '../libs/event-store/index.js';
import { ProjectionRunner } from '../libs/projections/index.js';
import { PostgresDatabase } from '../libs/sql/index.js';
import { READ_MODELS, READ_MODELS_RUNNER } from './read-models.js';

const url = process.env.DATABASE_URL;
if (!url) console.info('DATABASE_URL is not set: the concurrent-start test needs PostgreSQL (PGlite is one process) and is skipped.');

(url ? describe : describe.skip)('the schema on PostgreSQL', () => {
  it('is created once when several processes start together on an empty database (the app and the projector)', async () => {
    const schema = `start_${randomBytes(6).toString('hex')}`;
    const admin = await PostgresDatabase.open(url!, { max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const processes = await Promise.all(Array.from({ length: 4 }, () => PostgresDatabase.open(url!, { searchPath: schema, max: 2 })));
    try {
      const started = await Promise.allSettled(processes.map(async (db) => {
        const store = new SqlEventStore(db);
        await store.migrate();
        await new ProjectionRunner(READ_MODELS_RUNNER, db, store, READ_MODELS).migrate();
      }));
      expect(started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    } finally {
      await Promise.all(processes.map((db) => db.close()));
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  });
});
