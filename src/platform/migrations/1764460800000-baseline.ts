import type { MigrationInterface, QueryRunner } from 'typeorm';
import { runScript } from './run-script.js';

/**
 * Version 1: the schema as the service created it up to commit 8a98d27, when one idempotent script
 * (every component's CREATE ... IF NOT EXISTS) ran at each start. Frozen here: a later change is a
 * new migration, never an edit of this one. Roles and grants are not part of it: they follow
 * TABLE_PRIVILEGES after every migration run (platform/schema.ts).
 */
export class Baseline1764460800000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // A database created by that script is at version 1 already: it is recorded, nothing runs.
    if (await madeByScript(queryRunner)) return;
    // Any other database (empty, or made by an earlier version's script) gets what that script did.
    await runScript(
      queryRunner,
      `${BASELINE}\nINSERT INTO schema_version (fingerprint) VALUES ('${SCRIPT_FINGERPRINT}') ON CONFLICT DO NOTHING;`,
    );
  }

  async down(): Promise<void> {
    throw new Error('version 1 is the first: there is nothing to go back to');
  }
}

async function madeByScript(queryRunner: QueryRunner): Promise<boolean> {
  const [table] = (await queryRunner.query(`SELECT to_regclass('schema_version') IS NOT NULL AS present`)) as [{ present: boolean }];
  if (!table.present) return false;
  return ((await queryRunner.query('SELECT 1 FROM schema_version WHERE fingerprint = $1', [SCRIPT_FINGERPRINT])) as unknown[]).length > 0;
}

/** The fingerprint that script recorded in schema_version (its whole text, roles and grants included). */
const SCRIPT_FINGERPRINT = 'f7932f4b8d0c354ea2ce7cff8d53cd6c59f38aa8acad00a75cadf5d8ef59975d';

const BASELINE = `
CREATE TABLE IF NOT EXISTS events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  stream_revision bigint NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision)
);
DROP INDEX IF EXISTS events_commit_order; -- the (transaction id, position) order of earlier versions

-- Positions are handed out in commit order: every statement that inserts events first takes a
-- transaction-level lock on this table, held until commit, before the identity column draws its
-- value. A later position therefore never becomes visible before an earlier one, whoever inserts
-- (the store or a hand-written INSERT), and an unrelated transaction, in this database or another,
-- never holds a reader back. The lock is per table, so test schemas on one server stay apart.
CREATE OR REPLACE FUNCTION events_take_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('events commit order ' || TG_RELID::text, 0));
  RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS events_commit_order ON events;
CREATE TRIGGER events_commit_order BEFORE INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION events_take_commit_order();

-- A position comes from the identity, drawn under that lock, and from nowhere else: an INSERT that
-- picks its own (OVERRIDING SYSTEM VALUE) could sort an event after every later one and so hide
-- them from readers. Definer's rights, since the service's role holds no right on the sequence.
CREATE OR REPLACE FUNCTION events_take_position_from_identity() RETURNS trigger LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF NEW.global_position IS DISTINCT FROM currval(pg_get_serial_sequence(quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME), 'global_position')) THEN
    RAISE EXCEPTION 'events take their position from the store' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
EXCEPTION WHEN object_not_in_prerequisite_state THEN -- currval before any nextval in this session
  RAISE EXCEPTION 'events take their position from the store' USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS events_position_from_identity ON events;
CREATE TRIGGER events_position_from_identity BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_take_position_from_identity();

-- Events are immutable in the database itself, whatever the code above it does.

CREATE OR REPLACE FUNCTION refuse_change_of_append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%: % is not allowed', TG_ARGV[0], TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS events_no_update_or_delete ON events;
CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only_table('events are immutable');
DROP TRIGGER IF EXISTS events_no_truncate ON events;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only_table('events are immutable');



CREATE TABLE IF NOT EXISTS agencies (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('government_social_service', 'law_enforcement', 'prosecution', 'national_ngo', 'international_ngo', 'un_agency', 'red_cross_red_crescent', 'health', 'legal_aid', 'shelter')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  role text NOT NULL CHECK (role IN ('frontline_worker', 'caseworker', 'supervisor', 'agency_admin', 'network_coordinator', 'auditor', 'partner_system')),
  password_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE users ADD COLUMN IF NOT EXISTS failed_sign_ins int NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN IF NOT EXISTS locked_until timestamptz;
-- Refresh tokens: a keyed hash only; each is used once, and a reuse revokes its family.
CREATE TABLE IF NOT EXISTS refresh_tokens (
  id uuid PRIMARY KEY,
  family_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id),
  token_hash text NOT NULL,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family_id);
-- Partner systems' keys: only a keyed hash of the secret is kept.
CREATE TABLE IF NOT EXISTS api_keys (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  name text NOT NULL,
  secret_hash text NOT NULL,
  actions text[],
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_by uuid
);
-- Who may sign in changed: every instance drops its cache of principals (src/identity/principals.ts).
CREATE OR REPLACE FUNCTION announce_principals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('principals_changed', '');
  RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS users_principals_changed ON users;
CREATE TRIGGER users_principals_changed AFTER UPDATE OF active, role, agency_id OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION announce_principals_changed();
DROP TRIGGER IF EXISTS agencies_principals_changed ON agencies;
CREATE TRIGGER agencies_principals_changed AFTER UPDATE OF active, kind OR DELETE ON agencies
  FOR EACH STATEMENT EXECUTE FUNCTION announce_principals_changed();
DROP TRIGGER IF EXISTS api_keys_principals_changed ON api_keys;
CREATE TRIGGER api_keys_principals_changed AFTER UPDATE OF revoked_at, secret_hash, actions, agency_id OR DELETE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION announce_principals_changed();


CREATE TABLE IF NOT EXISTS case_data_keys (
  case_id uuid PRIMARY KEY,
  wrapped_key text NOT NULL,
  master_key_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  destroyed_at timestamptz,
  CONSTRAINT case_data_keys_destroyed_has_no_key CHECK ((destroyed_at IS NULL) = (wrapped_key <> ''))
);

CREATE TABLE IF NOT EXISTS directory_agency_profiles (
  agency_id uuid PRIMARY KEY REFERENCES agencies(id),
  description text NOT NULL DEFAULT '',
  subcommittees text[] NOT NULL DEFAULT '{}' CHECK (subcommittees <@ ARRAY['prevention', 'protection', 'prosecution']::text[]),
  areas_served text[] NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS directory_services (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  name text NOT NULL,
  service_type text NOT NULL CHECK (service_type IN ('in_depth_interview', 'material_assistance', 'shelter', 'wash', 'food_and_nutrition', 'personal_safety', 'medical', 'mhpss', 'education_and_training', 'livelihoods', 'family_tracing_and_reunification', 'legal_assistance', 'interpretation')),
  description text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
  areas text[] NOT NULL DEFAULT '{}',
  sexes text[] NOT NULL DEFAULT '{}' CHECK (sexes <@ ARRAY['female', 'male']::text[]),
  minimum_age int CHECK (minimum_age >= 0),
  maximum_age int CHECK (maximum_age >= coalesce(minimum_age, 0)),
  children_accepted boolean NOT NULL,
  languages text[] NOT NULL DEFAULT '{}',
  capacity_total int,
  capacity_available int,
  -- Capacity where it matters (e.g. shelter beds): both numbers or neither, and never more free than there are.
  CHECK ((capacity_total IS NULL) = (capacity_available IS NULL)),
  CHECK (capacity_available BETWEEN 0 AND capacity_total)
);
CREATE INDEX IF NOT EXISTS directory_services_type ON directory_services (service_type);
CREATE INDEX IF NOT EXISTS directory_services_agency ON directory_services (agency_id);
CREATE TABLE IF NOT EXISTS directory_locations (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  name text NOT NULL,
  locality text NOT NULL,
  region text NOT NULL,
  country text NOT NULL,
  UNIQUE (agency_id, name)
);
CREATE TABLE IF NOT EXISTS directory_service_locations (
  id uuid PRIMARY KEY,
  service_id uuid NOT NULL REFERENCES directory_services(id),
  location_id uuid NOT NULL REFERENCES directory_locations(id),
  UNIQUE (service_id, location_id)
);


CREATE TABLE IF NOT EXISTS personal_data_access (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  accessed_at timestamptz NOT NULL,
  user_id text NOT NULL,
  agency_id text NOT NULL,
  case_id uuid NOT NULL,
  categories text[] NOT NULL,
  legal_basis jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS personal_data_access_by_case ON personal_data_access (case_id, id);
DROP TRIGGER IF EXISTS personal_data_access_append_only ON personal_data_access;

CREATE OR REPLACE FUNCTION refuse_change_of_append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%: % is not allowed', TG_ARGV[0], TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS personal_data_access_no_update_or_delete ON personal_data_access;
CREATE TRIGGER personal_data_access_no_update_or_delete BEFORE UPDATE OR DELETE ON personal_data_access FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only_table('the access log is append-only');
DROP TRIGGER IF EXISTS personal_data_access_no_truncate ON personal_data_access;
CREATE TRIGGER personal_data_access_no_truncate BEFORE TRUNCATE ON personal_data_access FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only_table('the access log is append-only');


CREATE TABLE IF NOT EXISTS audit_chain (
  seq bigint PRIMARY KEY,
  kind text NOT NULL CONSTRAINT audit_chain_kind_check CHECK (kind IN ('consent', 'access', 'event')),
  ref text NOT NULL,
  content_hash text NOT NULL,
  prev_hash text NOT NULL,
  entry_hash text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, ref)
);
-- Chains made before events were chained allow only consent and access entries.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'audit_chain'::regclass AND conname = 'audit_chain_kind_check' AND pg_get_constraintdef(oid) LIKE '%event%') THEN
    ALTER TABLE audit_chain DROP CONSTRAINT IF EXISTS audit_chain_kind_check;
    ALTER TABLE audit_chain ADD CONSTRAINT audit_chain_kind_check CHECK (kind IN ('consent', 'access', 'event'));
  END IF;
END $$;

CREATE OR REPLACE FUNCTION refuse_change_of_append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%: % is not allowed', TG_ARGV[0], TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS audit_chain_no_update_or_delete ON audit_chain;
CREATE TRIGGER audit_chain_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_chain FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only_table('the audit chain is append-only');
DROP TRIGGER IF EXISTS audit_chain_no_truncate ON audit_chain;
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only_table('the audit chain is append-only');


CREATE TABLE IF NOT EXISTS agency_feed_keys (
  agency_id uuid PRIMARY KEY,
  jwk jsonb NOT NULL,
  registered_at timestamptz NOT NULL,
  registered_by text NOT NULL
);
CREATE TABLE IF NOT EXISTS feed_relay_checkpoints (
  relay text PRIMARY KEY,
  position text,
  updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS projection_checkpoints (
  runner text PRIMARY KEY,
  position text,
  events_applied bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS agency_case_views (
  agency_id uuid NOT NULL,
  case_id uuid NOT NULL,
  relation text NOT NULL CHECK (relation IN ('owner', 'recipient')),
  case_status text NOT NULL,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision int NOT NULL,
  view jsonb NOT NULL,
  PRIMARY KEY (agency_id, case_id)
);
CREATE INDEX IF NOT EXISTS agency_case_views_list ON agency_case_views (agency_id, updated_at DESC, case_id);
CREATE INDEX IF NOT EXISTS agency_case_views_owner ON agency_case_views (case_id) WHERE relation = 'owner';


DO $$
DECLARE wanted text;
BEGIN
  FOREACH wanted IN ARRAY ARRAY['referrals_agency_reader', 'referrals_projector'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = wanted) THEN
      IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'role % does not exist: run npm run db:setup-roles first', wanted USING ERRCODE = 'undefined_object';
      END IF;
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', wanted);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by another process
      END;
    END IF;
  END LOOP;
END $$;
ALTER TABLE agency_case_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE agency_case_views FORCE ROW LEVEL SECURITY;
DO $$ BEGIN
  CREATE POLICY agency_case_views_by_agency ON agency_case_views FOR SELECT TO referrals_agency_reader
    USING (agency_id = nullif(current_setting('app.agency_id', true), '')::uuid);
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN
  CREATE POLICY agency_case_views_kept_by_projector ON agency_case_views FOR ALL TO referrals_projector USING (true) WITH CHECK (true);
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE IF NOT EXISTS referral_inbox (
  referral_id uuid NOT NULL,
  direction text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  agency_id uuid NOT NULL,
  counterpart_agency_id uuid NOT NULL,
  case_id uuid NOT NULL,
  purpose text NOT NULL,
  service_type text,
  urgency text NOT NULL,
  shared_categories text[] NOT NULL,
  status text NOT NULL,
  withdrawal_cause text,
  decline_reason text,
  requested_at timestamptz NOT NULL,
  respond_by timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (referral_id, direction)
);
-- A referral waits while its case is paused (ReferralPutOnHold / ReferralResumed).
ALTER TABLE referral_inbox ADD COLUMN IF NOT EXISTS on_hold boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS referral_inbox_by_agency ON referral_inbox (agency_id, direction, status, requested_at DESC);
-- GET /referrals pages by (requested_at, referral_id) whatever the status.
CREATE INDEX IF NOT EXISTS referral_inbox_pages ON referral_inbox (agency_id, direction, requested_at DESC, referral_id DESC);


DO $$
DECLARE wanted text;
BEGIN
  FOREACH wanted IN ARRAY ARRAY['referrals_agency_reader', 'referrals_projector'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = wanted) THEN
      IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'role % does not exist: run npm run db:setup-roles first', wanted USING ERRCODE = 'undefined_object';
      END IF;
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', wanted);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by another process
      END;
    END IF;
  END LOOP;
END $$;
ALTER TABLE referral_inbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE referral_inbox FORCE ROW LEVEL SECURITY;
DO $$ BEGIN
  CREATE POLICY referral_inbox_by_agency ON referral_inbox FOR SELECT TO referrals_agency_reader
    USING (agency_id = nullif(current_setting('app.agency_id', true), '')::uuid);
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN
  CREATE POLICY referral_inbox_kept_by_projector ON referral_inbox FOR ALL TO referrals_projector USING (true) WITH CHECK (true);
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE IF NOT EXISTS consent_trail (
  event_id uuid PRIMARY KEY,
  case_id uuid NOT NULL,
  revision int NOT NULL,
  event_type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_user_id text NOT NULL,
  actor_agency_id text NOT NULL,
  details jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_trail_by_case ON consent_trail (case_id, revision);
-- The network-wide export pages in this order.
CREATE INDEX IF NOT EXISTS consent_trail_by_time ON consent_trail (occurred_at, case_id, revision);

CREATE OR REPLACE FUNCTION refuse_change_of_append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%: % is not allowed', TG_ARGV[0], TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS consent_trail_no_update_or_delete ON consent_trail;
CREATE TRIGGER consent_trail_no_update_or_delete BEFORE UPDATE OR DELETE ON consent_trail FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only_table('the consent trail is append-only');
DROP TRIGGER IF EXISTS consent_trail_no_truncate ON consent_trail;
CREATE TRIGGER consent_trail_no_truncate BEFORE TRUNCATE ON consent_trail FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only_table('the consent trail is append-only');


CREATE TABLE IF NOT EXISTS audit_chain (
  seq bigint PRIMARY KEY,
  kind text NOT NULL CONSTRAINT audit_chain_kind_check CHECK (kind IN ('consent', 'access', 'event')),
  ref text NOT NULL,
  content_hash text NOT NULL,
  prev_hash text NOT NULL,
  entry_hash text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, ref)
);
-- Chains made before events were chained allow only consent and access entries.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'audit_chain'::regclass AND conname = 'audit_chain_kind_check' AND pg_get_constraintdef(oid) LIKE '%event%') THEN
    ALTER TABLE audit_chain DROP CONSTRAINT IF EXISTS audit_chain_kind_check;
    ALTER TABLE audit_chain ADD CONSTRAINT audit_chain_kind_check CHECK (kind IN ('consent', 'access', 'event'));
  END IF;
END $$;

CREATE OR REPLACE FUNCTION refuse_change_of_append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%: % is not allowed', TG_ARGV[0], TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS audit_chain_no_update_or_delete ON audit_chain;
CREATE TRIGGER audit_chain_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_chain FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only_table('the audit chain is append-only');
DROP TRIGGER IF EXISTS audit_chain_no_truncate ON audit_chain;
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only_table('the audit chain is append-only');


CREATE TABLE IF NOT EXISTS referral_facts (
  referral_id uuid PRIMARY KEY,
  from_agency_id uuid NOT NULL,
  to_agency_id uuid NOT NULL,
  to_agency_kind text NOT NULL,
  purpose text NOT NULL,
  service_type text,
  area text,
  urgency text NOT NULL,
  requested_at timestamptz NOT NULL,
  respond_by timestamptz NOT NULL,
  on_hold boolean NOT NULL,
  first_response_at timestamptz,
  decided_at timestamptz,
  completed_at timestamptz,
  status text NOT NULL,
  decline_reason text,
  withdrawal_cause text,
  re_referral_of uuid
);
CREATE INDEX IF NOT EXISTS referral_facts_by_request ON referral_facts (requested_at);
CREATE INDEX IF NOT EXISTS referral_facts_waiting ON referral_facts (respond_by) WHERE status IN ('requested', 'acknowledged') AND NOT on_hold;
UPDATE referral_facts SET service_type = 'family_tracing_and_reunification' WHERE purpose = 'family_tracing' AND service_type IS NULL;
UPDATE referral_facts SET service_type = 'legal_assistance' WHERE purpose = 'legal_assistance' AND service_type IS NULL;

CREATE TABLE IF NOT EXISTS consent_deadlines (
  case_id uuid NOT NULL,
  deadline timestamptz NOT NULL,
  revision int NOT NULL,
  PRIMARY KEY (case_id, deadline)
);
CREATE INDEX IF NOT EXISTS consent_deadlines_by_time ON consent_deadlines (deadline);
CREATE TABLE IF NOT EXISTS schema_version (fingerprint text PRIMARY KEY, migrated_at timestamptz NOT NULL DEFAULT now());`;
