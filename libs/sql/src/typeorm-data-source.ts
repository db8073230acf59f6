import { EventEmitter } from 'node:events';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { SqlDatabase } from './sql-database.js';

type Callback = (error: Error | null, client?: unknown, release?: (error?: unknown) => void) => void;

/**
 * TypeORM's postgres dialect over our SqlDatabase, so PGlite and PostgreSQL share one connection
 * policy. Each connection TypeORM takes is a `session()`: on PGlite it holds the process-wide lock
 * from the first statement to release, so a TypeORM transaction never interleaves with other work.
 *
 * Caveat: on PGlite, calling TypeORM from inside `db.transaction()` or `db.session()` waits for the
 * lock it is already inside of. Keep TypeORM calls outside those callbacks (raw SQL inside them).
 */
export async function createTypeOrmDataSource(
  db: SqlDatabase,
  options: Pick<DataSourceOptions, 'entities' | 'synchronize' | 'logging' | 'migrations' | 'migrationsTableName'>,
): Promise<DataSource> {
  class SessionPool extends EventEmitter {
    connect(callback: Callback): void {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let handedOut = false;
      db.session(async (session) => {
        const client = Object.assign(new EventEmitter(), {
          query: (sql: string, params?: unknown[]) => session.run(sql, params ?? []),
          exec: (script: string) => session.exec(script),
        });
        handedOut = true;
        callback(null, client, () => release());
        await released;
      }).catch((error: unknown) => {
        if (!handedOut) callback(error as Error);
      });
    }

    /** The application owns the database: closing TypeORM leaves it open. */
    end(callback?: (error?: Error) => void): void {
      callback?.();
    }
  }

  const dataSource = new DataSource({
    type: 'postgres',
    driver: { Pool: SessionPool },
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: options.migrationsTableName,
    synchronize: options.synchronize ?? false,
    logging: options.logging ?? false,
    installExtensions: false,
  });
  return dataSource.initialize();
}
