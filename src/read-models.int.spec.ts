import { describe, expect, it } from '@jest/globals';
import { PostgresDatabase } from '../libs/sql/index.js';
import { freshSchema, urlAs } from '../libs/testing/index.js';
import { DATABASE_ROLES } from './platform/database-roles.js';
import { prepareSchema } from './platform/schema.js';

const url = process.env.DATABASE_URL;
if (!url) console.info('DATABASE_URL is not set: the concurrent-start test needs PostgreSQL (PGlite is one process) and is skipped.');

(url ? describe : describe.skip)('the schema on PostgreSQL', () => {
  it("is created once when several processes with the owner's rights start together on an empty schema", async () => {
    const schema = await freshSchema(url!, 'start');
    const processes = await Promise.all(
      Array.from({ length: 4 }, () => PostgresDatabase.open(urlAs(url!, DATABASE_ROLES.owner), { searchPath: schema.name, max: 2 })),
    );
    try {
      const started = await Promise.allSettled(processes.map((db) => prepareSchema(db)));
      expect(started.filter((s) => s.status === 'rejected').map((s) => String(s.reason))).toEqual([]);
    } finally {
      await Promise.all(processes.map((db) => db.close()));
      await schema.drop();
    }
  });
});
