export * from './src/sql-database.js';
export { DataDirectoryInUseError, PgliteDatabase } from './src/pglite-database.js';
export { PostgresDatabase, SCHEMA_LOCK } from './src/postgres-database.js';
export { createTypeOrmDataSource } from './src/typeorm-data-source.js';
export { appendOnly } from './src/append-only.js';
