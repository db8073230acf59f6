/**
 * `npm run db:setup-roles`: run once by a database administrator (and again after an upgrade; it
 * is idempotent). DATABASE_ADMIN_URL names a superuser of the service's database; DATABASE_SCHEMA
 * (default public) the schema; REFERRALS_{OWNER,APP,PROJECTOR}_PASSWORD the login passwords
 * (a role without one can log in only where the server trusts it). Prints no secret.
 */
import { DATABASE_ROLES } from './platform/database-roles.js';
import { setupDatabase } from './platform/database-setup.js';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const adminUrl = env.DATABASE_ADMIN_URL;
  if (!adminUrl || !/^postgres(ql)?:\/\//.test(adminUrl))
    throw new Error('DATABASE_ADMIN_URL must be the postgres:// URL of an administrator of the database');
  const schema = env.DATABASE_SCHEMA || 'public';
  await setupDatabase(adminUrl, {
    schema,
    passwords: {
      owner: env.REFERRALS_OWNER_PASSWORD || undefined,
      app: env.REFERRALS_APP_PASSWORD || undefined,
      projector: env.REFERRALS_PROJECTOR_PASSWORD || undefined,
    },
  });
  console.log(
    `Roles ready: ${DATABASE_ROLES.owner} owns schema ${schema} and ran the migrations; the service logs in as ${DATABASE_ROLES.app}, the projector as ${DATABASE_ROLES.projector}.`,
  );
}

main(process.env).catch((error: unknown) => {
  // Messages of this script and of PostgreSQL name roles, schemas and tables, never data or passwords.
  console.error('Cannot set up the database roles:', error instanceof Error ? error.message : 'unknown error');
  process.exit(1);
});
