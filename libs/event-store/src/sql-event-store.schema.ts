import { appendOnly } from '../../sql/index.js';

/** The events table: positions in commit order, and immutable in the database itself. */
export const EVENTS_SCHEMA = `
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
${appendOnly('events', 'events are immutable')}
`;
