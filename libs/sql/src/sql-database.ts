/**
 * The one SQL seam of the service. The event store, the key store and the read models all speak
 * PostgreSQL SQL through it, so the embedded default (PGlite) and a PostgreSQL server run the very
 * same statements, constraints and policies.
 */
export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** What one statement did, as drivers that count affected rows (TypeORM) need it. */
export interface StatementResult<Row = Record<string, unknown>> {
  readonly rows: Row[];
  readonly rowCount: number;
  /** The statement's SQL command, upper case: SELECT, INSERT, UPDATE, DELETE, ... */
  readonly command: string;
}

export interface SqlSession extends SqlClient {
  run<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<StatementResult<Row>>;
  /** Runs a script of several statements without parameters on this connection (a migration inside its transaction). */
  exec(script: string): Promise<void>;
}

export interface SqlDatabase extends SqlClient {
  readonly driver: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Exclusive use of one connection until `work` settles: for callers that issue BEGIN/COMMIT
   * themselves (TypeORM's query runners). On PGlite it holds the process-wide lock throughout.
   */
  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` with the payload of every NOTIFY on `channel` in this database, from a
   * connection of its own, once listening; with `undefined` each time it (re)connects, since
   * notifications sent meanwhile are lost. Undefined where the database cannot deliver them
   * (PGlite: it is one process's alone, which learns of its own changes in memory).
   */
  listen?(channel: string, onNotify: (payload: string | undefined) => void): Promise<() => Promise<void>>;
  /** Runs a script of several statements without parameters (schema migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL's SQLSTATE of a failed statement, whichever driver raised it. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export const UNIQUE_VIOLATION = '23505';

/** The command word of a statement, for drivers that do not report it. */
export const commandOf = (sql: string): string => /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
