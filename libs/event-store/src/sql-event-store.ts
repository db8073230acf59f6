import { EventEmitter } from 'node:events';
import { type SqlClient, type SqlDatabase, UNIQUE_VIOLATION, sqlState } from '../../sql/index.js';
import {
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type EventPlace,
  type ExpectedRevision,
  type FollowOptions,
  type GlobalPosition,
  type ReadAllOptions,
  type ReadAllResult,
  type RecordedEvent,
  UnknownPositionError,
  WrongExpectedRevisionError,
} from './event-store.port.js';
import { EVENTS_SCHEMA } from './sql-event-store.schema.js';

interface EventRow {
  global_position: number | string;
  stream_id: string;
  stream_revision: number | string;
  event_id: string;
  event_type: string;
  // jsonb read as text (see COLUMNS).
  data: string;
  metadata: string;
  recorded_at: Date | string;
}

// jsonb as text, parsed here: a stored JSON string (a tampered row) is then never mistaken for an unparsed document.
const COLUMNS =
  'global_position, stream_id, stream_revision, event_id, event_type, data::text AS data, metadata::text AS metadata, recorded_at';

/**
 * The event store on PostgreSQL SQL, run by PGlite or a PostgreSQL server alike.
 *
 * Global order is the position, which the schema hands out in commit order (see its triggers in
 * sql-event-store.schema.ts): a reader that resumes after the last position it saw never skips an event, and needs
 * no knowledge of other transactions on the server.
 */
export class SqlEventStore implements EventStore {
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;

  constructor(
    private readonly db: SqlDatabase,
    options: { pollIntervalMs?: number } = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.appended.setMaxListeners(0);
  }

  async migrate(): Promise<void> {
    await this.db.exec(EVENTS_SCHEMA);
  }

  async readStream(streamId: string): Promise<readonly RecordedEvent[]> {
    const rows = await this.db.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_revision`, [streamId]);
    return rows.map(toRecorded);
  }

  async readEventsAt(places: readonly EventPlace[]): Promise<readonly RecordedEvent[]> {
    const valid = places.filter((p) => Number.isSafeInteger(p.revision) && p.revision >= 0);
    if (valid.length === 0) return [];
    const rows = await this.db.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE (stream_id, stream_revision) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))`,
      [valid.map((p) => p.streamId), valid.map((p) => p.revision)],
    );
    return rows.map(toRecorded);
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    try {
      // Nearly every append finds the stream where it expected: one statement. Anything else (a
      // stale revision, a retried request, an empty batch) takes the transaction that tells which.
      const result =
        (await this.appendAsExpected(this.db, streamId, events, options.expectedRevision)) ??
        (await this.db.transaction((tx) => this.appendIn(tx, streamId, events, options.expectedRevision)));
      if (events.length > 0) this.appended.emit('append', result.position);
      return result;
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      // A concurrent append won the race for these revisions, or these event ids were appended meanwhile.
      const retried = await this.db.transaction((tx) => this.earlierAppend(tx, streamId, events));
      if (retried) return retried;
      throw new WrongExpectedRevisionError(streamId, options.expectedRevision, await this.currentRevision(this.db, streamId));
    }
  }

  /**
   * The append in one statement that inserts only when the stream's last revision is the expected
   * one, numbering the events after it; undefined when it inserted nothing (or there is nothing to
   * insert). A concurrent append of the same revisions fails on the unique key. The one INSERT
   * of the store, used alone or inside appendIn's transaction.
   */
  private async appendAsExpected(
    db: SqlClient,
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | undefined> {
    if (events.length === 0) return undefined;
    const values: unknown[] = typeof expected === 'number' ? [streamId, expected] : [streamId];
    const guard = expected === 'any' ? 'true' : expected === 'no_stream' ? 'stream.revision IS NULL' : 'stream.revision = $2::bigint';
    const tuples = events.map((event, index) => {
      const p = values.length;
      values.push(index, event.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
      return `($${p + 1}::int, $${p + 2}::uuid, $${p + 3}::text, $${p + 4}::jsonb, $${p + 5}::jsonb)`;
    });
    const rows = await db.query<{ global_position: number | string; stream_revision: number | string }>(
      `WITH stream AS (SELECT max(stream_revision) AS revision FROM events WHERE stream_id = $1)
       INSERT INTO events (stream_id, stream_revision, event_id, event_type, data, metadata)
       SELECT $1, coalesce(stream.revision, -1) + 1 + e.i, e.event_id, e.event_type, e.data, e.metadata
         FROM stream, (VALUES ${tuples.join(', ')}) AS e (i, event_id, event_type, data, metadata)
        WHERE ${guard}
        ORDER BY e.i
       RETURNING global_position, stream_revision`,
      values,
    );
    if (rows.length === 0) return undefined;
    const last = rows.reduce((a, b) => (Number(a.global_position) > Number(b.global_position) ? a : b));
    return { nextExpectedRevision: Number(last.stream_revision), position: positionOf(last) };
  }

  private async appendIn(
    tx: SqlClient,
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const actual = await this.currentRevision(tx, streamId);
    const matches = expected === 'any' || (expected === 'no_stream' ? actual === 'no_stream' : actual === expected);
    if (!matches) {
      // A retried request arrives with the revision it saw before its first attempt succeeded.
      const earlier = await this.earlierAppend(tx, streamId, events);
      if (earlier) return earlier;
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    if (events.length === 0) {
      // Nothing to write: report where the stream stands (an empty batch never creates a stream).
      const [last] = await tx.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_revision DESC LIMIT 1`, [
        streamId,
      ]);
      return { nextExpectedRevision: actual === 'no_stream' ? -1 : actual, position: last ? positionOf(last) : '0' };
    }
    // It matched a moment ago; an append that came in between makes this one stale.
    const appended = await this.appendAsExpected(tx, streamId, events, expected);
    if (appended) return appended;
    throw new WrongExpectedRevisionError(streamId, expected, await this.currentRevision(tx, streamId));
  }

  /** The original result when exactly these event ids already are this stream's events in a row (a retried request). */
  private async earlierAppend(db: SqlClient, streamId: string, events: readonly EventToAppend[]): Promise<AppendResult | undefined> {
    if (events.length === 0) return undefined;
    const rows = await db.query<EventRow>(`SELECT ${COLUMNS} FROM events WHERE event_id = ANY($1::uuid[])`, [events.map((e) => e.eventId)]);
    if (rows.length === 0) return undefined;
    const byId = new Map(rows.map((row) => [row.event_id.toLowerCase(), row]));
    const found = events.map((e) => byId.get(e.eventId.toLowerCase()));
    const revision0 = found[0] ? Number(found[0].stream_revision) : NaN;
    const sameAppend = found.every((row, index) => row?.stream_id === streamId && Number(row.stream_revision) === revision0 + index);
    if (!sameAppend) return undefined; // not a retry: the unique constraint will refuse the append
    const last = found[found.length - 1]!;
    return { nextExpectedRevision: Number(last.stream_revision), position: positionOf(last) };
  }

  private async currentRevision(db: SqlClient, streamId: string): Promise<number | 'no_stream'> {
    const [row] = await db.query<{ revision: number | string | null }>(
      'SELECT max(stream_revision) AS revision FROM events WHERE stream_id = $1',
      [streamId],
    );
    return row?.revision === null || row?.revision === undefined ? 'no_stream' : Number(row.revision);
  }

  async readAll(from: GlobalPosition | null, maxCount: number, options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = from === null ? '0' : parsePosition(from);
    const { eventTypes } = options;
    const ofTypes = eventTypes ? 'AND event_type = ANY($3::text[])' : '';
    const rows = await this.db.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE global_position > $1::bigint ${ofTypes} ORDER BY global_position LIMIT $2`,
      eventTypes ? [after, maxCount, eventTypes] : [after, maxCount],
    );
    const events = rows.map(toRecorded);
    return { events, next: events.length > 0 ? events[events.length - 1]!.position : from };
  }

  compare(a: GlobalPosition | null, b: GlobalPosition | null): number {
    if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
    const difference = BigInt(parsePosition(a)) - BigInt(parsePosition(b));
    return difference === 0n ? 0 : difference < 0n ? -1 : 1;
  }

  async behind(from: GlobalPosition | null): Promise<{ events: number; firstRecordedAt: Date | null }> {
    // A reader still at a position of an earlier version is about to replay everything.
    const after = from !== null && POSITION.test(from) ? from : '0';
    const [row] = await this.db.query<{ events: number | string; first: Date | string | null }>(
      'SELECT count(*) AS events, min(recorded_at) AS first FROM events WHERE global_position > $1::bigint',
      [after],
    );
    return { events: Number(row?.events ?? 0), firstRecordedAt: row?.first ? new Date(row.first) : null };
  }

  async *follow(options: FollowOptions): AsyncIterable<ReadAllResult> {
    const { signal } = options;
    const batchSize = options.batchSize ?? 500;
    let from = options.from;
    // The furthest position appended in this process beyond `from` since the current read began.
    let beyond: GlobalPosition | null = null;
    let wake: (() => void) | undefined;
    const onAppend = (position: GlobalPosition) => {
      if (this.compare(position, this.compare(beyond, from) > 0 ? beyond : from) <= 0) return; // already read, or already known
      beyond = position;
      wake?.();
    };
    this.appended.on('append', onAppend);
    try {
      while (!signal?.aborted) {
        beyond = null;
        const batch = await this.readAll(from, batchSize);
        if (batch.events.length > 0) {
          from = batch.next;
          yield batch;
        }
        // Read on at once when the batch was full, or something was appended that this read did
        // not return; otherwise wait for an append beyond it (or the poll interval, for appends by
        // other processes): one read per commit, none after each batch.
        if (batch.events.length === batchSize || this.compare(beyond, from) > 0) continue;
        const timer = delay(this.pollIntervalMs, signal);
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), timer.promise]);
        wake = undefined;
        timer.cancel();
      }
    } finally {
      this.appended.off('append', onAppend);
    }
  }
}

function delay(ms: number, signal?: AbortSignal) {
  let timeout: NodeJS.Timeout | undefined;
  let onAbort: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    timeout = setTimeout(resolve, ms);
    onAbort = () => resolve();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return {
    promise,
    cancel: () => {
      clearTimeout(timeout);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

function positionOf(row: { global_position: number | string }): GlobalPosition {
  return String(row.global_position);
}

const POSITION = /^\d{1,19}$/;

/** A position this store handed out; one of an earlier version (`xid:position`) cannot be resumed from. */
function parsePosition(position: GlobalPosition): string {
  if (POSITION.test(position)) return position;
  throw new UnknownPositionError();
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.event_type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    streamId: row.stream_id,
    revision: Number(row.stream_revision),
    position: positionOf(row),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}
