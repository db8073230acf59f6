import { AGENCY_KINDS } from '../../libs/consent-policy/index.js';
import { ROLES } from './roles.js';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Member agencies and their users. Idempotent; the same SQL on PGlite and PostgreSQL. */
export const IDENTITY_SCHEMA = `
CREATE TABLE IF NOT EXISTS agencies (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN (${list(AGENCY_KINDS)})),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  agency_id uuid NOT NULL REFERENCES agencies(id),
  role text NOT NULL CHECK (role IN (${list(ROLES)})),
  password_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE users ADD COLUMN IF NOT EXISTS failed_sign_ins int NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN IF NOT EXISTS locked_until timestamptz;
-- Set while the password is one someone else saw (an initial one): sign-in asks for the user's own first.
ALTER TABLE users ADD COLUMN IF NOT EXISTS password_change_required boolean NOT NULL DEFAULT false;
-- Bumped by every password change; access tokens carry the version they were issued at, so older ones stop working.
ALTER TABLE users ADD COLUMN IF NOT EXISTS credentials_version int NOT NULL DEFAULT 0;
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
CREATE TRIGGER users_principals_changed AFTER UPDATE OF active, role, agency_id, credentials_version OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION announce_principals_changed();
DROP TRIGGER IF EXISTS agencies_principals_changed ON agencies;
CREATE TRIGGER agencies_principals_changed AFTER UPDATE OF active, kind OR DELETE ON agencies
  FOR EACH STATEMENT EXECUTE FUNCTION announce_principals_changed();
DROP TRIGGER IF EXISTS api_keys_principals_changed ON api_keys;
CREATE TRIGGER api_keys_principals_changed AFTER UPDATE OF revoked_at, secret_hash, actions, agency_id OR DELETE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION announce_principals_changed();
`;
