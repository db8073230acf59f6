import {
  type AppendStreamState,
  DeadlineExceededError,
  FORWARDS,
  type KurrentDBClient,
  type Position,
  type ResolvedEvent,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as KurrentWrongExpectedVersion,
  jsonEvent,
} from '@kurrent/kurrentdb-client';
import {
  type AppendResult,
  type EventPlace,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type FollowOptions,
  type GlobalPosition,
  type ReadAllOptions,
  type ReadAllResult,
  type RecordedEvent,
  UnknownPositionError,
  WrongExpectedRevisionError,
} from './event-store.port.js';
import { comparePositions, decode, encode, ofEventTypes, positionOf, toRecorded } from './kurrentdb-records.js';

/** How long a follower waits before subscribing again after the connection to KurrentDB dropped. */
const RESUBSCRIBE_MS = 1000;

/**
 * The event store on KurrentDB: one stream per case (the port's stream ids as they are), `$all`
 * for the global order. What this adapter relies on, and what it does not:
 *   - Positions are KurrentDB's (commit, prepare) pair, written `commit/prepare` and ordered by
 *     `compare` as a pair (events of an explicit transaction share a commit position).
 *   - Reading `$all` from a position includes the event at it on KurrentDB and a subscription starts
 *     after it: every read here drops what is not strictly after the position asked for, so either
 *     way holds.
 *   - An append's answer is not taken as the position of its last event (KurrentDB answers a
 *     deduplicated retry without one, and a batch's answer need not be its last event's): that
 *     event is read back. A refused append whose event ids already are the stream's events at
 *     consecutive revisions is a retry, whether KurrentDB deduplicated it or refused it.
 *   - Event ids are unique per stream, not across streams (KurrentDB keeps no such index); the
 *     service derives each id from its case and revision, so no id is meant for two streams.
 *   - System events (`$`-prefixed types or streams, which KurrentDB writes into `$all`) are skipped.
 *   - KurrentDB shows `$all` in log order and never a later record before an earlier one, which is
 *     what readAll's "never skips a late commit" needs.
 */
export class KurrentDbEventStore implements EventStore {
  constructor(private readonly client: KurrentDBClient) {}

  async migrate(): Promise<void> {
    // KurrentDB needs no schema: streams come into being with their first event.
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  async readStream(streamId: string): Promise<readonly RecordedEvent[]> {
    try {
      return (await collect(this.client.readStream(streamId))).flatMap((e) => toRecorded(e) ?? []);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /** One read per stream, over the span of revisions asked for in it. */
  async readEventsAt(places: readonly EventPlace[]): Promise<readonly RecordedEvent[]> {
    const wanted = new Map<string, Set<number>>();
    for (const { streamId, revision } of places) {
      if (!Number.isSafeInteger(revision) || revision < 0) continue;
      wanted.set(streamId, (wanted.get(streamId) ?? new Set()).add(revision));
    }
    const found = await Promise.all(
      [...wanted].map(async ([streamId, revisions]) => {
        const first = Math.min(...revisions);
        const span = Math.max(...revisions) - first + 1;
        try {
          const read = await collect(this.client.readStream(streamId, { fromRevision: BigInt(first), maxCount: span }));
          return read.flatMap((resolved) => {
            const event = toRecorded(resolved);
            return event && revisions.has(event.revision) ? [event] : [];
          });
        } catch (error) {
          // A deleted stream holds no events any more: its places are empty, not an error.
          if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return [];
          throw error;
        }
      }),
    );
    return found.flat();
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const expected = options.expectedRevision;
    if (events.length === 0) return this.whereItStands(streamId, expected);
    let nextExpectedRevision: number;
    try {
      const written = events.map((e) => jsonEvent({ id: e.eventId, type: e.type, data: { ...e.data }, metadata: { ...e.metadata } }));
      const result = await this.client.appendToStream(streamId, written, { streamState: streamStateOf(expected) });
      nextExpectedRevision = Number(result.nextExpectedRevision);
    } catch (error) {
      if (!(error instanceof KurrentWrongExpectedVersion)) throw error;
      // A retried request arrives with the revision it saw before its first attempt succeeded.
      const earlier = await this.earlierAppend(streamId, events);
      if (earlier) return earlier;
      const actual = error.actualState;
      throw new WrongExpectedRevisionError(streamId, expected, typeof actual === 'bigint' ? Number(actual) : 'no_stream');
    }
    const last = await this.eventAt(streamId, nextExpectedRevision);
    if (last?.eventId === events[events.length - 1]!.eventId) return { nextExpectedRevision, position: last.position };
    const earlier = await this.earlierAppend(streamId, events);
    if (earlier) return earlier;
    throw new Error(`stream ${streamId}: the append succeeded but its events are not at the revisions it reported`);
  }

  async readAll(from: GlobalPosition | null, maxCount: number, options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const events: RecordedEvent[] = [];
    let cursor = from === null ? null : decode(from);
    // KurrentDB filters `$all` on the server: the events of other types never cross the wire.
    const filter = options.eventTypes && ofEventTypes(options.eventTypes);
    while (events.length < maxCount) {
      // One more than asked: KurrentDB includes the event at the position read from.
      const page = await collect(
        this.client.readAll({ fromPosition: cursor ?? START, maxCount: maxCount + 1, direction: FORWARDS, ...(filter && { filter }) }),
      );
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (!position || (cursor && comparePositions(position, cursor) <= 0)) continue;
        cursor = position;
        const event = toRecorded(resolved);
        if (event && events.length < maxCount) events.push(event);
      }
      if (page.length <= maxCount) break; // the end of $all
    }
    return { events, next: events.length > 0 ? events[events.length - 1]!.position : from };
  }

  async behind(from: GlobalPosition | null): Promise<{ events: number; firstRecordedAt: Date | null }> {
    let after: Position | null = null;
    try {
      after = from === null ? null : decode(from);
    } catch (error) {
      if (!(error instanceof UnknownPositionError)) throw error; // a reader about to replay everything
    }
    let events = 0;
    let firstRecordedAt: Date | null = null;
    for await (const resolved of this.client.readAll({ fromPosition: after ?? START, direction: FORWARDS })) {
      const position = positionOf(resolved);
      if (!position || (after && comparePositions(position, after) <= 0)) continue;
      const event = toRecorded(resolved);
      if (!event) continue;
      events++;
      firstRecordedAt ??= event.recordedAt;
    }
    return { events, firstRecordedAt };
  }

  compare(a: GlobalPosition | null, b: GlobalPosition | null): number {
    if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
    return comparePositions(decode(a), decode(b));
  }

  /**
   * A catch-up subscription to `$all`: KurrentDB sends what exists after `from`, then each new
   * event. Events are handed on in batches of what has arrived; a dropped connection subscribes
   * again from the last event handed on.
   */
  async *follow(options: FollowOptions): AsyncIterable<ReadAllResult> {
    const { signal } = options;
    const batchSize = options.batchSize ?? 500;
    let from = options.from;
    while (!signal?.aborted) {
      let seen = from === null ? null : decode(from);
      const subscription = this.client.subscribeToAll({ fromPosition: seen ?? START });
      const queue: RecordedEvent[] = [];
      let failure: unknown;
      let wake: (() => void) | undefined;
      const notify = () => wake?.();
      subscription.on('data', (resolved: ResolvedEvent) => {
        const position = positionOf(resolved);
        if (!position || (seen && comparePositions(position, seen) <= 0)) return;
        seen = position;
        const event = toRecorded(resolved);
        if (!event) return;
        queue.push(event);
        if (queue.length >= 4 * batchSize) subscription.pause(); // the reader is behind: let KurrentDB wait
        notify();
      });
      subscription.on('error', (error: unknown) => {
        failure = error;
        notify();
      });
      signal?.addEventListener('abort', notify);
      try {
        while (!signal?.aborted && failure === undefined) {
          if (queue.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          const events = queue.splice(0, batchSize);
          if (subscription.isPaused() && queue.length < batchSize) subscription.resume();
          from = events[events.length - 1]!.position;
          yield { events, next: from };
        }
      } finally {
        signal?.removeEventListener('abort', notify);
        await subscription.unsubscribe().catch(() => undefined);
      }
      if (signal?.aborted) return;
      if (!(failure instanceof UnavailableError || failure instanceof DeadlineExceededError)) throw failure;
      await new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_MS));
    }
  }

  /** An empty batch writes nothing: it reports where the stream stands, as long as that is where it was expected. */
  private async whereItStands(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const stream = await this.readStream(streamId);
    const last = stream[stream.length - 1];
    const actual = last ? last.revision : 'no_stream';
    if (expected !== 'any' && expected !== actual) throw new WrongExpectedRevisionError(streamId, expected, actual);
    return { nextExpectedRevision: last ? last.revision : -1, position: last ? last.position : encode({ commit: 0n, prepare: 0n }) };
  }

  private async eventAt(streamId: string, revision: number): Promise<RecordedEvent | undefined> {
    try {
      const [resolved] = await collect(this.client.readStream(streamId, { fromRevision: BigInt(revision), maxCount: 1 }));
      return resolved ? toRecorded(resolved) : undefined;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  /** The original result when exactly these event ids already are this stream's events in a row (a retried request). */
  private async earlierAppend(streamId: string, events: readonly EventToAppend[]): Promise<AppendResult | undefined> {
    const stream = await this.readStream(streamId);
    const first = stream.findIndex((e) => e.eventId === events[0]!.eventId);
    if (first < 0 || !events.every((e, index) => stream[first + index]?.eventId === e.eventId)) return undefined;
    const last = stream[first + events.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }
}

function streamStateOf(expected: ExpectedRevision): AppendStreamState {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
