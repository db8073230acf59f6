import type { MigrationInterface, QueryRunner } from 'typeorm';
import { runScript } from './run-script.js';

/**
 * Version 6: a password change ends the access tokens issued before it, not only the refresh
 * tokens. Each user has a credentials version that a change bumps and a token carries; the bump is
 * announced like a deactivation, so every instance drops its cached principals at once.
 */
export class CredentialsVersion1796069100000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await runScript(
      queryRunner,
      `
ALTER TABLE users ADD COLUMN credentials_version int NOT NULL DEFAULT 0;
${usersTrigger('active, role, agency_id, credentials_version')}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runScript(queryRunner, `${usersTrigger('active, role, agency_id')}\nALTER TABLE users DROP COLUMN credentials_version;`);
  }
}

const usersTrigger = (columns: string) => `
DROP TRIGGER users_principals_changed ON users;
CREATE TRIGGER users_principals_changed AFTER UPDATE OF ${columns} OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION announce_principals_changed();`;
