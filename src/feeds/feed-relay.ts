import type { CaseEvent } from '../../libs/domain/index.js';
import { type EventStore, type GlobalPosition, type RecordedEvent, UnknownPositionError } from '../../libs/event-store/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import type { AccessLog } from '../audit/access-log.js';
import { type CaseSealing, sealedField } from '../cases/case-sealing.js';
import { caseIdOf } from '../cases/case-stream.js';
import { holdsSharedData } from '../cases/recipient-view.js';
import { type Agency, type FeedChange, agencyView, feedChanges, withRecords } from './feed-changes.js';
import { type FeedPublicJwk, encryptForAgency } from './feed-encryption.js';
import { feedKeysOf } from './feed-keys.js';
import { FEED_SCHEMA, type FeedMessage, type FeedPayload, type FeedRecord, type OpenedView, feedTopic } from './feed-message.js';

/** Where the relay publishes: resolves once the broker acknowledged every record (kafka-publisher.ts). */
export interface FeedPublisher {
  publish(records: readonly FeedRecord[]): Promise<void>;
}

export interface FeedRelayOptions {
  /** The checkpoint's name: two relays of different names each publish everything. */
  readonly name?: string;
  readonly batchSize?: number;
  /** The time of reading: what an agency may see depends on it (expiry). */
  readonly now: () => string;
  /** Told after each batch is published and its checkpoint committed (progress, tests, the bench). */
  readonly onBatch?: (published: number, position: GlobalPosition | null) => void;
}

/**
 * Follows the event store and publishes to each receiving agency's topic what that agency may see
 * now, each message named by the event that caused it. The checkpoint moves only after the broker
 * acknowledged the batch: a crash publishes some messages again (at least once), never none.
 */
export class FeedRelay {
  private readonly name: string;

  constructor(
    private readonly db: SqlDatabase,
    private readonly store: EventStore,
    private readonly sealing: CaseSealing,
    private readonly accessLog: AccessLog,
    private readonly publisher: FeedPublisher,
    private readonly options: FeedRelayOptions,
  ) {
    this.name = options.name ?? 'agency-feeds';
  }

  async checkpoint(): Promise<GlobalPosition | null> {
    const [row] = await this.db.query<{ position: string | null }>('SELECT position FROM feed_relay_checkpoints WHERE relay = $1', [
      this.name,
    ]);
    return row?.position ?? null;
  }

  /** Publishes until the signal aborts; a failure (broker, database) propagates, and the caller restarts from the checkpoint. */
  async run(signal: AbortSignal): Promise<void> {
    let from = await this.checkpoint();
    try {
      await this.store.readAll(from, 0);
    } catch (error) {
      // A checkpoint from an older store order: publish everything again (partners deduplicate).
      if (!(error instanceof UnknownPositionError)) throw error;
      from = null;
    }
    for await (const batch of this.store.follow({ from, batchSize: this.options.batchSize ?? 200, signal })) {
      const records = await this.recordsFor(batch.events);
      if (records.length > 0) await this.publisher.publish(records);
      await this.db.query(
        `INSERT INTO feed_relay_checkpoints (relay, position, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (relay) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
        [this.name, batch.next],
      );
      this.options.onBatch?.(records.length, batch.next);
    }
  }

  /** The messages a batch of events makes, in the events' order (Kafka keeps it per case key). */
  async recordsFor(events: readonly RecordedEvent[]): Promise<FeedRecord[]> {
    const changes: Array<FeedChange & { caseId: string; messageId: string; head: Parameters<typeof agencyView>[0] }> = [];
    const inBatch = new Set(events.map((e) => e.eventId));
    for (const streamId of new Set(events.filter((e) => caseIdOf(e.streamId) !== undefined).map((e) => e.streamId))) {
      const stream = await this.store.readStream(streamId);
      const folded = [...withRecords(stream.map((e) => ({ type: e.type, data: e.data }) as CaseEvent))];
      // Every message carries what the agency may see now (the case as it stands), so a relay that
      // is behind never sends data withdrawn since: the event decides only whether a message is due.
      const head = folded.at(-1)?.after;
      if (!head) continue;
      const caseId = head.caseId;
      folded.forEach(({ before, after }, index) => {
        const messageId = stream[index]!.eventId;
        if (!inBatch.has(messageId)) return;
        // Of an erased case only the tombstone goes out, also when older events are relayed late.
        for (const change of feedChanges(before, after)) {
          if (!head.erased || change.kind === 'erasure') changes.push({ ...change, caseId, messageId, head });
        }
      });
    }
    const keys = await feedKeysOf(this.db, [...new Set(changes.map((c) => c.agency.agencyId))]);
    const at = this.options.now();
    const views = new Map<string, Promise<OpenedView | undefined>>();
    const records: FeedRecord[] = [];
    for (const change of changes) {
      // An agency that registered no key gets no feed: there is nothing it could read.
      const key = keys.get(change.agency.agencyId);
      if (!key) continue;
      const topic = feedTopic(change.agency.agencyId);
      const headers = { 'message-id': change.messageId, 'schema-version': String(FEED_SCHEMA.version), kind: change.kind };
      if (change.kind === 'erasure') {
        records.push({ topic, key: change.caseId, value: null, headers });
        continue;
      }
      const viewKey = `${change.agency.agencyId}/${change.caseId}`;
      if (!views.has(viewKey)) views.set(viewKey, this.openedView(change.head, change.agency, at));
      const view = await views.get(viewKey)!;
      if (!view) continue;
      const message = await this.message(change, change.kind, key, view, at);
      records.push({ topic, key: change.caseId, value: Buffer.from(JSON.stringify(message)), headers });
    }
    return records;
  }

  private async message(
    change: FeedChange & { caseId: string; messageId: string },
    kind: FeedPayload['kind'],
    key: FeedPublicJwk,
    view: OpenedView,
    at: string,
  ): Promise<FeedMessage> {
    const payload: FeedPayload = { messageId: change.messageId, caseId: change.caseId, kind, delete: change.delete, at, view };
    return {
      schema: FEED_SCHEMA.name,
      messageId: change.messageId,
      caseId: change.caseId,
      kind,
      keyId: key.kid,
      payload: await encryptForAgency(key, change.messageId, payload),
    };
  }

  /** The agency's view with its personal data opened, the disclosure recorded in the access log first, as for a read over HTTP. */
  private async openedView(head: Parameters<typeof agencyView>[0], agency: Agency, at: string): Promise<OpenedView | undefined> {
    const view = agencyView(head, agency, at);
    if (!view) return undefined;
    const caseId = view.caseId;
    const categories = [...Object.keys(view.personalData), ...(view.referrals.some((r) => r.note) ? ['notes'] : [])];
    const relay = { userId: 'feed-relay', agencyId: agency.agencyId, agencyKind: agency.agencyKind, role: 'partner_system' as const };
    const basis = { referrals: view.referrals.filter((r) => holdsSharedData(r.status)).map((r) => r.referralId) };
    await this.accessLog.record(relay, caseId, categories, basis, at);
    const personalData = await this.sealing.unsealAll(caseId, view.personalData);
    const referrals = await Promise.all(
      view.referrals.map(async (r) =>
        r.note ? { ...r, note: await this.sealing.unseal(caseId, sealedField.referralNote(r.referralId), r.note) } : r,
      ),
    );
    return { ...view, personalData, referrals };
  }
}
