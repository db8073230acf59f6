import { PGlite } from '@electric-sql/pglite';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { Mutex } from './mutex.js';
import { type SqlClient, type SqlDatabase, type SqlSession, type StatementResult, commandOf } from './sql-database.js';

/**
 * PGlite is one connection in the process. Every statement and every transaction takes the same
 * lock, so a statement issued by one request can never land inside another request's transaction.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly driver = 'pglite' as const;
  private readonly lock = new Mutex();

  private constructor(
    private readonly db: PGlite,
    private readonly release: () => Promise<void>,
  ) {}

  /**
   * `dataDir` undefined keeps the database in memory (tests). A data directory is one process's
   * alone: a second process (a rebuild while the service runs) is refused rather than let it
   * corrupt the files.
   */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const release = dataDir ? await lockDirectory(`${dataDir}.lock`) : async () => undefined;
    try {
      return new PgliteDatabase(await PGlite.create(dataDir ? { dataDir } : {}), release);
    } catch (error) {
      await release();
      throw error;
    }
  }

  query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.lock.run(async () => (await this.db.query<Row>(sql, params as unknown[])).rows);
  }

  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.lock.run(() =>
      this.db.transaction(async (tx) =>
        work({ query: async <Row>(sql: string, params: readonly unknown[] = []) => (await tx.query<Row>(sql, params as unknown[])).rows }),
      ),
    );
  }

  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    // Inside the lock, statements go to PGlite directly: taking the lock again would deadlock.
    const run = async <Row>(sql: string, params: readonly unknown[] = []): Promise<StatementResult<Row>> => {
      const result = await this.db.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command: commandOf(sql) };
    };
    return this.lock.run(() => work({ run, query: async (sql, params) => (await run(sql, params)).rows as never }));
  }

  exec(script: string): Promise<void> {
    return this.lock.run(async () => {
      await this.db.exec(script);
    });
  }

  close(): Promise<void> {
    return this.lock.run(async () => {
      await this.db.close();
      await this.release();
    });
  }
}

export class DataDirectoryInUseError extends Error {
  constructor(readonly pid: number) {
    super(`the embedded database is open in process ${pid}; stop it first`);
    this.name = 'DataDirectoryInUseError';
  }
}

/**
 * A lock file holding our pid, created whole (written aside, then linked into place, so nobody
 * reads it empty). One left by a process that no longer runs is taken over; so is one holding our
 * own pid, as after a restart in a container where the service is always pid 1. Left alone: two
 * processes taking over the same stale lock at the same instant.
 */
async function lockDirectory(file: string): Promise<() => Promise<void>> {
  const mine = String(process.pid);
  const aside = `${file}.${mine}.${Date.now()}`;
  await writeFile(aside, mine);
  try {
    for (;;) {
      try {
        await link(aside, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) throw new DataDirectoryInUseError(holder);
      await rm(file, { force: true });
    }
  } finally {
    await rm(aside, { force: true });
  }
  // Remove it only while it is still ours.
  return async () => {
    if ((await readFile(file, 'utf8').catch(() => '')).trim() === mine) await rm(file, { force: true });
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
