import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEnvironmentData } from 'node:worker_threads';
import { DataDirectoryInUseError, PgliteDatabase } from './pglite-database.js';
import { UNIQUE_VIOLATION, sqlState } from './sql-database.js';

const withDirectory = async (work: (dataDir: string) => Promise<void>) => {
  const root = await mkdtemp(join(tmpdir(), 'pglite-lock-'));
  try {
    await work(join(root, 'pgdata'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
};

describe('PgliteDatabase: one database thread, statements in order, transactions alone', () => {
  let db: PgliteDatabase;
  beforeAll(async () => {
    db = await PgliteDatabase.open(undefined, { maintenanceIntervalMs: 100 });
    await db.exec(
      `CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL, at timestamptz NOT NULL DEFAULT now(), doc jsonb, bytes bytea, amount numeric, tags text[], big bigint)`,
    );
  });
  afterAll(() => db.close());

  it('returns the values PGlite parses: dates, JSON documents, bytes, numerics, arrays and big integers', async () => {
    const at = new Date('2026-03-01T10:00:00.123Z');
    await db.query('INSERT INTO items (id, label, at, doc, bytes, amount, tags, big) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      1,
      'first',
      at,
      { nested: { list: [1, 'two'] } },
      new Uint8Array([0, 1, 255]),
      '12.50',
      ['a', 'b'],
      9_007_199_254_740_991,
    ]);
    const [row] = await db.query<Record<string, unknown>>('SELECT * FROM items WHERE id = 1');
    // toEqual compares a Date only with a Date (copied across threads, it is not of jest's realm, so no instanceof).
    expect(row).toEqual({
      id: 1,
      label: 'first',
      at,
      doc: { nested: { list: [1, 'two'] } },
      bytes: new Uint8Array([0, 1, 255]),
      amount: '12.50',
      tags: ['a', 'b'],
      big: 9_007_199_254_740_991,
    });
  });

  it('keeps the SQLSTATE and the constraint of a failed statement, and leaves its parameters behind', async () => {
    await db.query(`INSERT INTO items (id, label) VALUES (2, 'second')`);
    const error = await db.query('INSERT INTO items (id, label) VALUES ($1, $2)', [2, 'a name']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(sqlState(error)).toBe(UNIQUE_VIOLATION);
    expect(error).toMatchObject({ constraint: 'items_pkey', table: 'items' });
    expect(JSON.stringify(error)).not.toContain('a name');
  });

  it('runs a transaction alone: a statement sent meanwhile waits until it commits, then sees its rows', async () => {
    let outside: Promise<Array<{ n: number }>> | undefined;
    let outsideSettled = false;
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO items (id, label) VALUES (10, 'in a transaction')`);
      outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE id = 10');
      void outside.then(() => (outsideSettled = true));
      // Two more round trips inside the transaction: the outside statement has not run meanwhile.
      await tx.query('SELECT 1');
      await tx.query(`UPDATE items SET label = 'still in it' WHERE id = 10`);
      expect(outsideSettled).toBe(false);
    });
    expect(await outside).toEqual([{ n: 1 }]);
  });

  it('rolls back everything a failing transaction wrote, and gives the failure to the caller', async () => {
    const failure = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO items (id, label) VALUES (20, 'rolled back')`);
      await tx.query(`INSERT INTO items (id, label) VALUES (20, 'a duplicate')`);
    });
    await expect(failure).rejects.toMatchObject({ code: UNIQUE_VIOLATION });
    expect(await db.query('SELECT id FROM items WHERE id = 20')).toEqual([]);
    // The thread is free again.
    expect(await db.query<{ ok: number }>('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('refuses a statement through a transaction that has ended', async () => {
    let leaked: { query: (sql: string) => Promise<unknown> } | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toThrow(/ended/);
  });

  it("runs a session alone with the caller's own BEGIN and COMMIT, counting the rows each statement changed", async () => {
    await db.query(`INSERT INTO items (id, label) VALUES (30, 'a'), (31, 'b')`);
    const results = await db.session(async (session) => [
      await session.run('BEGIN'),
      await session.run(`UPDATE items SET label = 'c' WHERE id IN (30, 31)`),
      await session.run('COMMIT'),
    ]);
    expect(results.map((r) => [r.command, r.rowCount])).toEqual([
      ['BEGIN', 0],
      ['UPDATE', 2],
      ['COMMIT', 0],
    ]);
    expect(await db.query('SELECT label FROM items WHERE id IN (30, 31)')).toEqual([{ label: 'c' }, { label: 'c' }]);
  });

  it('analyses a table after many writes by itself, so the planner knows its size (PGlite has no autovacuum)', async () => {
    await db.exec('CREATE TABLE bulk (id int PRIMARY KEY, owner text NOT NULL)');
    await db.query(`INSERT INTO bulk SELECT n, 'agency-' || (n % 7) FROM generate_series(1, 5000) n`);
    const analysed = async () =>
      (await db.query<{ rows: number }>(`SELECT reltuples::int AS rows FROM pg_class WHERE relname = 'bulk'`))[0]!.rows;
    let rows = await analysed();
    for (let attempt = 0; attempt < 100 && rows !== 5000; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await analysed();
    }
    expect(rows).toBe(5000);
  });
});

describe('PgliteDatabase: PostgreSQL compiled once a process', () => {
  it('keeps the compiled WebAssembly of a database opened, and a later one opens with it instead of compiling it again', async () => {
    const first = await PgliteDatabase.open();
    await first.close();
    const compiled = getEnvironmentData('referral-coordination.pglite-wasm-module');
    expect(Object.prototype.toString.call(compiled)).toBe('[object WebAssembly.Module]');
    const second = await PgliteDatabase.open();
    try {
      expect(await second.query<{ answer: number }>('SELECT 42 AS answer')).toEqual([{ answer: 42 }]);
    } finally {
      await second.close();
    }
  });
});

describe('PgliteDatabase on disk: durable by default', () => {
  it('has PostgreSQL fsync every commit unless told otherwise, and leaves fresh statistics behind on close', () =>
    withDirectory(async (dataDir) => {
      const durable = await PgliteDatabase.open(dataDir);
      expect(await durable.query(`SELECT current_setting('fsync') AS fsync, current_setting('wal_sync_method') AS method`)).toEqual([
        { fsync: 'on', method: 'fsync' },
      ]);
      await durable.exec('CREATE TABLE bulk (id int PRIMARY KEY)');
      await durable.query('INSERT INTO bulk SELECT generate_series(1, 3000)');
      await durable.close();
      const relaxed = await PgliteDatabase.open(dataDir, { fsync: false });
      expect(await relaxed.query(`SELECT current_setting('fsync') AS fsync`)).toEqual([{ fsync: 'off' }]);
      expect(await relaxed.query(`SELECT reltuples::int AS rows FROM pg_class WHERE relname = 'bulk'`)).toEqual([{ rows: 3000 }]);
      await relaxed.close();
    }));
});

describe('PgliteDatabase: memory', () => {
  const buffers = async (db: PgliteDatabase) =>
    (await db.query<{ size: string }>(`SELECT current_setting('shared_buffers') AS size`))[0]!.size;

  it('starts PostgreSQL with 16 MB of shared buffers unless given another size, in memory and on disk', () =>
    withDirectory(async (dataDir) => {
      const inMemory = await PgliteDatabase.open();
      expect(await buffers(inMemory)).toBe('16MB');
      await inMemory.close();
      const chosen = await PgliteDatabase.open(dataDir, { sharedBuffersMb: 32 });
      expect(await buffers(chosen)).toBe('32MB');
      await chosen.close();
    }));

  it('creates a new data directory without keeping the memory initdb used (some 800 MB at its peak)', () =>
    withDirectory(async (dataDir) => {
      const before = process.memoryUsage.rss();
      const db = await PgliteDatabase.open(dataDir, { fsync: false });
      await db.query('SELECT 1');
      expect((process.memoryUsage.rss() - before) / 2 ** 20).toBeLessThan(250);
      await db.close();
    }));
});

describe('PgliteDatabase: a data directory belongs to one process', () => {
  it('refuses a directory another running process holds, naming that process', () =>
    withDirectory(async (dataDir) => {
      await writeFile(`${dataDir}.lock`, String(process.ppid)); // our parent runs for as long as we do
      await expect(PgliteDatabase.open(dataDir)).rejects.toThrow(DataDirectoryInUseError);
      expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(String(process.ppid));
    }));

  it('takes over the lock of a process that has ended, and releases it on close', () =>
    withDirectory(async (dataDir) => {
      const ended = spawnSync('node', ['-e', '0']).pid;
      await writeFile(`${dataDir}.lock`, String(ended));
      const db = await PgliteDatabase.open(dataDir);
      expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid));
      await db.close();
      await expect(readFile(`${dataDir}.lock`, 'utf8')).rejects.toThrow(/ENOENT/);
    }));

  it('leaves a lock that is no longer its own', () =>
    withDirectory(async (dataDir) => {
      const db = await PgliteDatabase.open(dataDir);
      await writeFile(`${dataDir}.lock`, String(process.ppid));
      await db.close();
      expect(await readFile(`${dataDir}.lock`, 'utf8')).toBe(String(process.ppid));
    }));
});
