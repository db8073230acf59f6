/**
 * The storage side of the in-memory KurrentDB protocol double (see in-memory-kurrentdb-server.ts):
 * streams of events with 0-based revisions, and the transaction file's `$all` order, where an
 * event's position is a (commit, prepare) pair of byte offsets. It mimics what a KurrentDB node
 * does where an adapter could come to depend on it, and no more:
 *   - positions are byte offsets that grow by each record's size, not counters; an event's is
 *     (its offset, its offset), as KurrentDB reads `$all` for events written without an explicit
 *     transaction;
 *   - an append is answered with (first offset, first offset), not its last event's position;
 *   - an append whose ids are already the stream's events from the expected revision on is an
 *     idempotent success answered without a position; ids are not unique across streams;
 *   - an append larger in total than the node's maximum append size (1 MiB by default) is refused whole.
 */

export interface AllPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface StoredEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  readonly position: AllPosition;
  /** Milliseconds since the epoch. */
  readonly created: number;
}

export interface ProposedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

/** `revision`: the stream's last event must be at this revision. */
export type ExpectedState =
  { readonly kind: 'any' | 'no_stream' | 'stream_exists' } | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | { readonly kind: 'success'; readonly currentRevision: bigint; readonly position?: AllPosition }
  | { readonly kind: 'wrong_expected_version'; readonly current: bigint | 'no_stream' }
  | { readonly kind: 'too_large'; readonly maxAppendSize: number };

/** Bytes a record takes in the log besides its payload (a rough figure: only growth matters). */
const RECORD_OVERHEAD = 120n;

export const comparePositions = (a: AllPosition, b: AllPosition): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

export class InMemoryLog {
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  /** The next record's byte offset; a fresh node has written its epoch records before any event. */
  private nextOffset = 4096n;

  /**
   * `deduplicates` false: a retried append is refused like any stale one, as a server that kept no
   * trace of event ids would (the adapter must not depend on the deduplication either way).
   */
  constructor(
    readonly maxAppendSize = 1024 * 1024,
    private readonly deduplicates = true,
  ) {}

  append(streamId: string, expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome {
    const size = proposed.reduce((sum, e) => sum + e.data.length + e.metadata.length, 0);
    if (size > this.maxAppendSize) return { kind: 'too_large', maxAppendSize: this.maxAppendSize };
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
    const idempotent = this.deduplicates ? this.retried(stream, expected, proposed) : undefined;
    if (idempotent) return idempotent;
    const matches =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && current === 'no_stream') ||
      (expected.kind === 'stream_exists' && current !== 'no_stream') ||
      (expected.kind === 'revision' && current === expected.revision);
    if (!matches) return { kind: 'wrong_expected_version', current };
    const first = this.nextOffset;
    const created = Date.now();
    const appended = proposed.map((e, index) => {
      const stored: StoredEvent = {
        ...e,
        streamId,
        revision: BigInt(stream.length + index),
        position: { commit: this.nextOffset, prepare: this.nextOffset },
        created,
      };
      this.nextOffset += RECORD_OVERHEAD + BigInt(e.data.length + e.metadata.length + streamId.length + e.type.length);
      return stored;
    });
    stream.push(...appended);
    this.streams.set(streamId, stream);
    this.all.push(...appended);
    for (const event of appended) for (const listener of this.listeners) listener(event);
    // KurrentDB answers an append with one position in both halves, which is not where its last
    // event reads back from when it holds more than one.
    return { kind: 'success', currentRevision: BigInt(stream.length - 1), position: { commit: first, prepare: first } };
  }

  /** KurrentDB's idempotency check: the ids are already the stream's events from the expected revision on. */
  private retried(stream: readonly StoredEvent[], expected: ExpectedState, proposed: readonly ProposedEvent[]): AppendOutcome | undefined {
    if (proposed.length === 0) return undefined;
    const first =
      expected.kind === 'no_stream'
        ? 0
        : expected.kind === 'revision'
          ? Number(expected.revision) + 1
          : expected.kind === 'any'
            ? stream.findIndex((e) => e.eventId === proposed[0]!.eventId)
            : -1;
    if (first < 0 || first + proposed.length > stream.length) return undefined;
    if (!proposed.every((e, index) => stream[first + index]!.eventId === e.eventId)) return undefined;
    return { kind: 'success', currentRevision: BigInt(first + proposed.length - 1) };
  }

  /** Events of a stream from `from` on (inclusive) in the direction asked; undefined when the stream does not exist. */
  readStream(streamId: string, from: bigint | 'start' | 'end', forwards: boolean, count: number): StoredEvent[] | undefined {
    const stream = this.streams.get(streamId);
    if (!stream) return undefined;
    if (forwards) {
      const start = from === 'start' ? 0 : from === 'end' ? stream.length : Number(from);
      return stream.slice(start, start + count);
    }
    const start = from === 'end' ? stream.length - 1 : from === 'start' ? 0 : Math.min(Number(from), stream.length - 1);
    return stream.slice(Math.max(0, start - count + 1), start + 1).reverse();
  }

  /** `$all` from a position, inclusive as KurrentDB reads it, forwards or backwards. */
  readAll(
    from: AllPosition | 'start' | 'end',
    forwards: boolean,
    count: number,
    kept: (event: StoredEvent) => boolean = () => true,
  ): StoredEvent[] {
    const at = from === 'start' ? 0 : from === 'end' ? this.all.length : this.indexAtOrAfter(from);
    // Backwards reads end at the event at `from` (none from the start, all from the end).
    const [first, step] = forwards
      ? [at, 1]
      : [from === 'end' ? this.all.length - 1 : from === 'start' ? -1 : Math.min(at, this.all.length - 1), -1];
    const read: StoredEvent[] = [];
    for (let i = first; i >= 0 && i < this.all.length && read.length < count; i += step) if (kept(this.all[i]!)) read.push(this.all[i]!);
    return read;
  }

  /** Every event after `from` (exclusive, as a subscription starts), then each new one, until the returned function is called. */
  subscribe(from: AllPosition | 'start' | 'end', onEvent: (event: StoredEvent) => void): () => void {
    const start = from === 'start' ? 0 : from === 'end' ? this.all.length : this.indexAfter(from);
    for (const event of this.all.slice(start)) onEvent(event);
    this.listeners.add(onEvent);
    return () => this.listeners.delete(onEvent);
  }

  lastPosition(): AllPosition | undefined {
    return this.all[this.all.length - 1]?.position;
  }

  /**
   * What someone with the node's files could do and KurrentDB's API never does, for tamper tests:
   * `change` returns the stored event to put in its place (position and revision kept), or
   * undefined to cut it off, which only a stream's last event can be (revisions stay indexes).
   * Returns what puts the original back as it was, telling no subscriber.
   */
  tamper(which: (stored: StoredEvent) => boolean, change: (stored: StoredEvent) => StoredEvent | undefined): () => void {
    const at = this.all.findIndex(which);
    if (at < 0) throw new Error('no such event in the log');
    const stored = this.all[at]!;
    const stream = this.streams.get(stored.streamId)!;
    const revision = Number(stored.revision);
    const replacement = change(stored);
    if (replacement) {
      const kept = { ...replacement, streamId: stored.streamId, revision: stored.revision, position: stored.position };
      this.all[at] = kept;
      stream[revision] = kept;
    } else {
      if (revision !== stream.length - 1) throw new Error("only a stream's last event can be cut off");
      this.all.splice(at, 1);
      stream.pop();
    }
    return () => {
      if (replacement) this.all[at] = stored;
      else this.all.splice(at, 0, stored);
      stream[revision] = stored;
    };
  }

  /** Moves the next byte offset to just below a power of ten, so that the next appends cross it. */
  nearPowerOfTen(): void {
    let power = 10n;
    while (power <= this.nextOffset + 10_000n) power *= 10n;
    this.nextOffset = power - 2_000n;
  }

  private indexAtOrAfter(position: AllPosition): number {
    return this.firstIndex((e) => comparePositions(e.position, position) >= 0);
  }

  private indexAfter(position: AllPosition): number {
    return this.firstIndex((e) => comparePositions(e.position, position) > 0);
  }

  /** Binary search in `$all`, which is in position order: the first index where `test` holds. */
  private firstIndex(test: (event: StoredEvent) => boolean): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (test(this.all[middle]!)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
