import pg from 'pg';
import type { SqlClient, SqlDatabase, SqlSession, StatementResult } from './sql-database.js';

// int8 (bigint) arrives as a string by default; positions and revisions stay within 2^53 here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Statements with parameters run as named prepared statements, so each connection parses and plans
 * a statement once rather than at every call (about a quarter of the server's CPU per `POST /cases`
 * in the bench). One name per text for the whole process; texts past MAX_NAMED (built with a varying
 * number of rows, say) run unnamed, so a connection never holds an unbounded number of them.
 * Behind a pooler in transaction mode, use one that keeps prepared statements (PgBouncer 1.21+).
 */
const names = new Map<string, string | null>();
const MAX_NAMED = 400;
function prepared(sql: string, params: readonly unknown[]): pg.QueryConfig {
  let name = names.get(sql);
  if (name === undefined && params.length > 0 && names.size < MAX_NAMED) {
    name = `s${names.size}`;
    names.set(sql, name);
  }
  return name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] };
}

/**
 * A table changed under a prepared statement (a newer version migrating while this one runs): the
 * server refuses a plan whose columns changed. The text runs unnamed from then on; true when the
 * statement may simply be sent again (outside a transaction, which the error has aborted).
 */
function replanned(error: unknown, sql: string): boolean {
  if (
    !(error instanceof Error) ||
    (error as { code?: string }).code !== '0A000' ||
    !error.message.includes('cached plan must not change result type')
  )
    return false;
  names.set(sql, null);
  return true;
}

async function send(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
  try {
    return await client.query(prepared(sql, params));
  } catch (error) {
    if (replanned(error, sql) && client instanceof pg.Pool) return client.query(sql, params as unknown[]);
    throw error;
  }
}

/** Any fixed key: held only while a schema script or the schema's migrations run. */
export const SCHEMA_LOCK = 7_451_032;

export class PostgresDatabase implements SqlDatabase {
  readonly driver = 'postgres' as const;

  private readonly listeners = new Set<() => Promise<void>>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly clientConfig: pg.ClientConfig,
  ) {}

  /** `searchPath` isolates tests (one schema each) on a shared server. */
  static async open(connectionString: string, options: { searchPath?: string; max?: number } = {}): Promise<PostgresDatabase> {
    const clientConfig: pg.ClientConfig = {
      connectionString,
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    };
    const pool = new pg.Pool({ ...clientConfig, max: options.max ?? 10 });
    // Fail at start-up, with the driver's reason, rather than on the first request.
    const client = await pool.connect();
    client.release();
    return new PostgresDatabase(pool, clientConfig);
  }

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await send(this.pool, sql, params)).rows as Row[];
  }

  async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({
        query: async <Row>(sql: string, params: readonly unknown[] = []) => (await send(client, sql, params)).rows as Row[],
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const run = async <Row>(sql: string, params: readonly unknown[] = []): Promise<StatementResult<Row>> => {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0, command: result.command };
    };
    // Without parameters, pg sends the simple protocol: a script of several statements runs as one.
    const exec = async (script: string): Promise<void> => {
      await client.query(script);
    };
    try {
      return await work({ run, exec, query: async (sql, params) => (await run(sql, params)).rows as never });
    } finally {
      client.release();
    }
  }

  /**
   * A script without parameters runs as one implicit transaction; the advisory lock it takes first
   * serialises schema scripts across processes (the app and the projector starting together would
   * otherwise race in CREATE ... IF NOT EXISTS and GRANT).
   */
  async exec(script: string): Promise<void> {
    await this.pool.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK});\n${script}`);
  }

  /** A connection of its own, outside the pool; when it is lost, reconnects every second until stopped. */
  async listen(channel: string, onNotify: (payload: string | undefined) => void): Promise<() => Promise<void>> {
    let client: pg.Client | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    const reconnect = () => {
      if (!stopped) retry = setTimeout(() => void connect().catch(reconnect), 1000);
    };
    const connect = async (): Promise<void> => {
      const next = new pg.Client(this.clientConfig);
      let gone = false;
      const lost = () => {
        if (gone) return;
        gone = true;
        void next.end().catch(() => undefined);
        if (client === next) reconnect();
      };
      next.on('error', lost);
      next.on('end', lost);
      next.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload);
      });
      try {
        await next.connect();
        await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
      } catch (error) {
        lost();
        throw error;
      }
      client = next;
      onNotify(undefined);
    };
    await connect();
    const stop = async () => {
      stopped = true;
      clearTimeout(retry);
      this.listeners.delete(stop);
      await client?.end().catch(() => undefined);
    };
    this.listeners.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((stop) => stop()));
    await this.pool.end();
  }
}
