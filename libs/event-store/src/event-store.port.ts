/**
 * The event store port. Shaped so that both the SQL adapter (PGlite / PostgreSQL) and a KurrentDB
 * adapter fit: streams with a 0-based revision, an opaque global position, catch-up reading of
 * the whole store in commit order.
 */

/** Opaque, adapter-specific. Persist it as given; order two only with EventStore.compare, never do arithmetic on it. */
export type GlobalPosition = string;

/** `no_stream`: the stream must not exist yet. A number: the revision of the stream's last event. */
export type ExpectedRevision = 'any' | 'no_stream' | number;

export interface EventToAppend {
  /** A UUID. Appending the same ids again to the same stream is an idempotent no-op (see appendToStream). */
  readonly eventId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface RecordedEvent extends EventToAppend {
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly revision: number;
  readonly position: GlobalPosition;
  readonly recordedAt: Date;
}

/** Where one event stands: its stream and its revision there. */
export interface EventPlace {
  readonly streamId: string;
  readonly revision: number;
}

export interface AppendResult {
  /** Revision of the last event now in the stream (use it as the next expected revision). */
  readonly nextExpectedRevision: number;
  readonly position: GlobalPosition;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** `no_stream` when the stream does not exist. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * A position this store cannot resume from: one written by an earlier version of the adapter
 * whose order differs. A reader holding one must replay from the beginning.
 */
export class UnknownPositionError extends Error {
  constructor() {
    super('not a position this event store can resume from');
    this.name = 'UnknownPositionError';
  }
}

export interface ReadAllResult {
  /** Strictly after the position asked for, in global commit order. */
  readonly events: readonly RecordedEvent[];
  /** Where the next read should start: the last event's position, or the position asked for. */
  readonly next: GlobalPosition | null;
}

export interface ReadAllOptions {
  /** Exact event type names; absent means every type. */
  readonly eventTypes?: readonly string[];
}

export interface FollowOptions {
  /** `null` reads from the very beginning. */
  readonly from: GlobalPosition | null;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export interface EventStore {
  /** All events of a stream in revision order; an empty array when the stream does not exist. */
  readStream(streamId: string): Promise<readonly RecordedEvent[]>;

  /**
   * The events at these places, in no particular order; a place that holds no event (a stream or
   * revision that does not exist) is left out. For readers that know where records are but not
   * their global position (the audit chain's verification): KurrentDB has no store-wide index of
   * event ids, so a place is what every adapter can look up.
   */
  readEventsAt(places: readonly EventPlace[]): Promise<readonly RecordedEvent[]>;

  /**
   * Appends atomically: all events or none. Throws WrongExpectedRevisionError when the stream's
   * revision is not the expected one. When every event id of `events` is already the stream's
   * events at consecutive revisions (a retried request), appends nothing and returns the original
   * result.
   */
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;

  /**
   * Reads up to `maxCount` events after `from` in global order. Never returns an event while an
   * event that will sort before it may still be committed by another transaction: a reader that
   * resumes from the returned `next` never skips one. Throws UnknownPositionError for a position
   * the store cannot resume from. With `eventTypes`, only events of those types, chosen by the
   * store itself (the others are neither sent nor counted): a reader looking for a few events
   * among many need not receive them all.
   */
  readAll(from: GlobalPosition | null, maxCount: number, options?: ReadAllOptions): Promise<ReadAllResult>;

  /**
   * Catch-up subscription: yields batches from `from` on, then waits for new events, until the
   * signal aborts (the iterator then ends without an error).
   */
  follow(options: FollowOptions): AsyncIterable<ReadAllResult>;

  /**
   * How far a reader at `from` is behind (for lag metrics): how many events follow it, and when
   * the first of them was recorded (null when there are none). A position the store cannot resume
   * from counts as the beginning.
   */
  behind(from: GlobalPosition | null): Promise<{ readonly events: number; readonly firstRecordedAt: Date | null }>;

  /**
   * Global order of two positions this store gave out: negative when `a` comes before `b`, zero
   * when they are the same, positive after. `null` (the very beginning) comes before every position.
   */
  compare(a: GlobalPosition | null, b: GlobalPosition | null): number;

  /** Creates the store's schema if missing (idempotent). */
  migrate(): Promise<void>;
}

/** DI token for the event store port. */
export const EVENT_STORE = Symbol('EventStore');
