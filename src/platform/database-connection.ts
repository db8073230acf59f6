import { Logger } from '@nestjs/common';
import { join } from 'node:path';
// The two adapters by their own modules, not the library's index: that one also loads TypeORM, and
// this module is loaded before the rest of the service (see main.ts).
import { PgliteDatabase } from '../../libs/sql/src/pglite-database.js';
import { PostgresDatabase } from '../../libs/sql/src/postgres-database.js';
import type { SqlDatabase } from '../../libs/sql/src/sql-database.js';
import type { AppConfig } from '../config/app-config.js';

/** Where in the service's data directory the embedded database keeps its files. */
export const embeddedDatabaseDir = (dataDir: string) => join(dataDir, 'pgdata');

/** Opens the configured database (PGlite in the data directory, or PostgreSQL), its schema as it is. */
export async function connectDatabase(config: AppConfig): Promise<SqlDatabase> {
  if (!config.databaseUrl && !config.embeddedFsync) {
    new Logger('Persistence').warn(
      'EMBEDDED_FSYNC=false: commits are not flushed to disk. A power loss or an operating-system crash can lose the latest acknowledged writes or corrupt the data directory.',
    );
  }
  return config.databaseUrl
    ? PostgresDatabase.open(config.databaseUrl)
    : PgliteDatabase.open(embeddedDatabaseDir(config.dataDir), {
        fsync: config.embeddedFsync,
        sharedBuffersMb: config.embeddedSharedBuffersMb,
      });
}
