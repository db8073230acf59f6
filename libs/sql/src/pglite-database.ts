import { PGlite } from '@electric-sql/pglite';
import { Mutex } from './mutex.js';
import { type SqlClient, type SqlDatabase, type SqlSession, type StatementResult, commandOf } from './sql-database.js';

/**
 * PGlite is one connection in the process. Every statement and every transaction takes the same
 * lock, so a statement issued by one request can never land inside another request's transaction.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly driver = 'pglite' as const;
  private readonly lock = new Mutex();

  private constructor(private readonly db: PGlite) {}

  /** `dataDir` undefined keeps the database in memory (tests). */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    return new PgliteDatabase(db);
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
    return this.lock.run(() => this.db.close());
  }
}
