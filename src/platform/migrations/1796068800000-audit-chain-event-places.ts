import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly } from '../../../libs/sql/index.js';
import { runScript } from './run-script.js';

/**
 * Version 2: where each chained event is in the event store, so verify reads it there (KurrentDB
 * cannot look an event up by id). Events chained before get their places from the SQL store here;
 * a KurrentDB deployment's come with `npm run rebuild`.
 */
export class AuditChainEventPlaces1796068800000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await runScript(
      queryRunner,
      `
CREATE TABLE audit_chain_event_places (
  ref text PRIMARY KEY,
  stream_id text NOT NULL,
  revision bigint NOT NULL
);
${appendOnly('audit_chain_event_places', 'the places of chained events are append-only')}
DO $$ BEGIN
  IF to_regclass('events') IS NOT NULL THEN
    INSERT INTO audit_chain_event_places (ref, stream_id, revision)
    SELECT c.ref, e.stream_id, e.stream_revision FROM audit_chain c JOIN events e ON e.event_id::text = c.ref WHERE c.kind = 'event';
  END IF;
END $$;`,
    );
  }

  async down(): Promise<void> {
    throw new Error('the places of chained events are append-only: there is no going back');
  }
}
