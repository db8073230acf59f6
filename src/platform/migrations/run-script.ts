import type { QueryRunner } from 'typeorm';

/**
 * Runs a script of several statements (DO blocks included) in the migration's transaction.
 * `queryRunner.query` sends one statement (PGlite's extended protocol), so the script goes to the
 * connection's own `exec` (libs/sql: the TypeORM connection is an SqlDatabase session).
 */
export async function runScript(queryRunner: QueryRunner, script: string): Promise<void> {
  const connection = (await queryRunner.connect()) as { exec?: (script: string) => Promise<void> };
  if (!connection.exec) throw new Error('this TypeORM connection cannot run a script: open it with createTypeOrmDataSource');
  await connection.exec(script);
}
