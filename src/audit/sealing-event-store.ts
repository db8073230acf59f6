import { sealMetadata } from '../../libs/audit-chain/index.js';
import type {
  AppendResult,
  EventStore,
  EventPlace,
  EventToAppend,
  ExpectedRevision,
  FollowOptions,
  GlobalPosition,
  ReadAllOptions,
  ReadAllResult,
  RecordedEvent,
} from '../../libs/event-store/index.js';

/**
 * The service's event store: every event appended through it carries a keyed MAC in its metadata
 * (see libs/audit-chain's event seal), whichever part of the service appends it, so `verify` can
 * tell the service's events from rows written into the table by anyone else.
 */
export class SealingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly macKey: Buffer,
  ) {}

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const sealed = events.map((event) => ({ ...event, metadata: sealMetadata(this.macKey, { ...event, streamId }) }));
    return this.inner.appendToStream(streamId, sealed, options);
  }

  readStream(streamId: string): Promise<readonly RecordedEvent[]> {
    return this.inner.readStream(streamId);
  }

  readEventsAt(places: readonly EventPlace[]): Promise<readonly RecordedEvent[]> {
    return this.inner.readEventsAt(places);
  }

  readAll(from: GlobalPosition | null, maxCount: number, options?: ReadAllOptions): Promise<ReadAllResult> {
    return this.inner.readAll(from, maxCount, options);
  }

  follow(options: FollowOptions): AsyncIterable<ReadAllResult> {
    return this.inner.follow(options);
  }

  behind(from: GlobalPosition | null): Promise<{ readonly events: number; readonly firstRecordedAt: Date | null }> {
    return this.inner.behind(from);
  }

  compare(a: GlobalPosition | null, b: GlobalPosition | null): number {
    return this.inner.compare(a, b);
  }

  migrate(): Promise<void> {
    return this.inner.migrate();
  }
}
