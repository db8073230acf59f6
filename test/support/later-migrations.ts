import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A later version's change, as a migration: a column on a table that cannot be rebuilt. */
export class AddAgencyMotto1893456000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE agencies ADD COLUMN motto text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE agencies DROP COLUMN motto');
  }
}

/** A migration that fails half-way, after a change of its own. */
export class Failing1893456000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users ADD COLUMN nickname text');
    await queryRunner.query('SELECT 1 / 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE users DROP COLUMN nickname');
  }
}
