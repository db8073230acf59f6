/**
 * `npm run migrate` (alias `db:migrate`): runs the schema's pending migrations as its owner, before
 * a new version starts, and says which ran.
 * MIGRATION_DATABASE_URL logs in as the owner role (DATABASE_URL when it is not set, as in a
 * single-user deployment; without either, the embedded database in DATA_DIR).
 */
import { ConfigError, loadConfig } from './config/app-config.js';
import { DataDirectoryInUseError } from '../libs/sql/index.js';
import { openDatabase } from './platform/persistence.module.js';
import { SchemaNotReadyError, mayMigrate, migrateSchema } from './platform/schema.js';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const url = env.MIGRATION_DATABASE_URL || env.DATABASE_URL;
  const config = loadConfig({ ...env, DATABASE_URL: url }, process.cwd(), false);
  let ran: string[] = [];
  const db = await openDatabase(config, async (opened) => {
    if (!(await mayMigrate(opened))) throw new SchemaNotReadyError();
    ran = await migrateSchema(opened);
  });
  await db.close();
  for (const name of ran) console.log(`Ran migration ${name}.`);
  console.log(`The schema is up to date (${ran.length === 0 ? 'no migration was pending' : `${ran.length} migration(s) ran`}).`);
}

main(process.env).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirectoryInUseError || error instanceof SchemaNotReadyError)
    console.error(`Cannot migrate: ${error.message}`);
  else console.error('Cannot migrate:', error instanceof Error ? error.message : 'unknown error');
  process.exit(1);
});
