import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendOnly } from '../../../libs/sql/index.js';
import { runScript } from './run-script.js';

/**
 * Version 3: the feeds show nothing in clear and stop at an agency's deactivation. Each agency's
 * secret for its pseudonyms (an existing feed gets one now: its topic's later messages use new keys,
 * so its consumer sees each case once more under its new key), the time a feed was closed, the
 * history of feed-key changes, and the record keys each topic holds (tombstoned at a closing).
 */
export class FeedPseudonymsAndClosing1796068860000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await runScript(
      queryRunner,
      `
ALTER TABLE agency_feed_keys ADD COLUMN pseudonym_secret text NOT NULL DEFAULT (gen_random_uuid()::text || gen_random_uuid()::text);
ALTER TABLE agency_feed_keys ADD COLUMN closed_at timestamptz;
CREATE TABLE agency_feed_key_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agency_id uuid NOT NULL,
  kid text NOT NULL,
  changed_at timestamptz NOT NULL,
  changed_by text NOT NULL
);
${appendOnly('agency_feed_key_changes', 'the history of feed keys is append-only')}
CREATE TABLE feed_published_keys (
  agency_id uuid NOT NULL,
  record_key text NOT NULL,
  PRIMARY KEY (agency_id, record_key)
);`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runScript(
      queryRunner,
      `DROP TABLE feed_published_keys; DROP TABLE agency_feed_key_changes;
       ALTER TABLE agency_feed_keys DROP COLUMN closed_at; ALTER TABLE agency_feed_keys DROP COLUMN pseudonym_secret;`,
    );
  }
}
