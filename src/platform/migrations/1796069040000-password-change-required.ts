import type { MigrationInterface, QueryRunner } from 'typeorm';
import { runScript } from './run-script.js';

/**
 * Version 5: a user whose password someone else saw (an initial password shown to an admin or a
 * coordinator) must choose their own before signing in. Existing users are not marked.
 */
export class PasswordChangeRequired1796069040000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await runScript(queryRunner, 'ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runScript(queryRunner, 'ALTER TABLE users DROP COLUMN password_change_required;');
  }
}
