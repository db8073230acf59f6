import type { CaseEvent } from '../../libs/domain/index.js';
import {
  type EventStore,
  type GlobalPosition,
  type ReadAllResult,
  type RecordedEvent,
  UnknownPositionError,
} from '../../libs/event-store/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import type { AccessLog, PersonalDataRead } from '../audit/access-log.js';
import { type CaseSealing, sealedField } from '../cases/case-sealing.js';
import { caseIdOf } from '../cases/case-stream.js';
import { type RecipientView, holdsSharedData } from '../cases/recipient-view.js';
import { type Agency, type FeedChange, agencyView, feedChanges, withRecords } from './feed-changes.js';
import { encryptForAgency } from './feed-encryption.js';
import { type FeedRecipient, feedRecipientsOf } from './feed-keys.js';
import { FEED_SCHEMA, type FeedMessage, type FeedPayload, type FeedRecord, type OpenedView, feedTopic } from './feed-message.js';
import { feedCaseKey, feedMessageId } from './feed-pseudonyms.js';
/** Where the relay publishes: resolves once the broker acknowledged every record (kafka-publisher.ts). */
export interface FeedPublisher {
  publish(records: readonly FeedRecord[]): Promise<void>;
}

export interface FeedRelayOptions {
  /** The checkpoint's name: two relays of different names each publish everything. */
  readonly name?: string;
  readonly batchSize?: number;
  /** How often the relay looks for deactivated agencies whose feeds it must close (default ten seconds). */
  readonly closeEveryMs?: number;
  /** The time of reading: what an agency may see depends on it (expiry). */
  readonly now: () => string;
  /** Told after each batch is published and its checkpoint committed (progress, tests, the bench). */
  readonly onBatch?: (published: number, position: GlobalPosition | null) => void;
}

/** One message due to one agency, before it is encrypted. */
type DueChange = FeedChange & { caseId: string; eventId: string; head: Parameters<typeof agencyView>[0] };

/**
 * Follows the event store and publishes to each receiving agency's topic what that agency may see
 * now, each message named by the event that caused it. The checkpoint moves only after the broker
 * acknowledged the batch: a crash publishes some messages again (at least once), never none. An
 * agency deactivated meanwhile has its feed closed: a tombstone for every case its topic holds, and
 * nothing after.
 */
export class FeedRelay {
  private readonly name: string;
  /** Batches and feed closings take turns, so no message can follow a feed's closing tombstones. */
  private turn: Promise<unknown> = Promise.resolve();

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
    const stop = new AbortController();
    const abort = () => stop.abort();
    signal.addEventListener('abort', abort, { once: true });
    let failure: Error | undefined;
    const closing = () =>
      this.inTurn(() => this.closeDeactivatedFeeds()).catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new Error("closing a deactivated agency's feed failed");
        stop.abort();
      });
    let closed = closing();
    const timer = setInterval(() => {
      closed = closed.then(closing);
    }, this.options.closeEveryMs ?? 10_000);
    try {
      for await (const batch of this.store.follow({ from, batchSize: this.options.batchSize ?? 200, signal: stop.signal })) {
        await this.inTurn(() => this.publishBatch(batch));
      }
    } finally {
      clearInterval(timer);
      signal.removeEventListener('abort', abort);
      await closed;
    }
    if (failure !== undefined) throw failure;
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const done = this.turn.then(work);
    this.turn = done.catch(() => undefined);
    return done;
  }

  private async publishBatch(batch: ReadAllResult): Promise<void> {
    const records = await this.recordsFor(batch.events);
    // Noted before publishing: a key noted but never published only earns an extra tombstone later.
    await this.notePublishedKeys(records);
    if (records.length > 0) await this.publisher.publish(records);
    await this.db.query(
      `INSERT INTO feed_relay_checkpoints (relay, position, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (relay) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
      [this.name, batch.next],
    );
    this.options.onBatch?.(records.length, batch.next);
  }

  /** The messages a batch of events makes, in the events' order (Kafka keeps it per record key). */
  async recordsFor(events: readonly RecordedEvent[]): Promise<FeedRecord[]> {
    const changes = await this.changesIn(events);
    const recipients = await feedRecipientsOf(this.db, [...new Set(changes.map((c) => c.agency.agencyId))]);
    const at = this.options.now();
    // An agency that registered no key, or is no longer active, gets nothing.
    const due = changes.flatMap((change) => {
      const recipient = recipients.get(change.agency.agencyId);
      return recipient ? [{ change, recipient }] : [];
    });
    const views = new Map<string, RecipientView | undefined>();
    const disclosures: PersonalDataRead[] = [];
    for (const { change } of due) {
      const viewKey = `${change.agency.agencyId}/${change.caseId}`;
      if (change.kind === 'erasure' || views.has(viewKey)) continue;
      const view = agencyView(change.head, change.agency, at);
      views.set(viewKey, view);
      if (view) disclosures.push(this.disclosure(view, change.agency, at));
    }
    // Every disclosure is in the access log before anything is opened, as for a read over HTTP; one transaction per batch.
    await this.accessLog.recordAll(disclosures);
    const opened = new Map<string, Promise<OpenedView>>();
    const records: FeedRecord[] = [];
    for (const { change, recipient } of due) {
      const agencyId = change.agency.agencyId;
      const topic = feedTopic(agencyId);
      const key = feedCaseKey(recipient.secret, change.caseId);
      const headers = { 'message-id': feedMessageId(recipient.secret, change.eventId), 'schema-version': String(FEED_SCHEMA.version) };
      if (change.kind === 'erasure') {
        records.push({ agencyId, topic, key, value: null, headers });
        continue;
      }
      const viewKey = `${change.agency.agencyId}/${change.caseId}`;
      const view = views.get(viewKey);
      if (!view) continue;
      if (!opened.has(viewKey)) opened.set(viewKey, this.opened(view));
      const message = await this.message(change, change.kind, headers['message-id'], recipient, await opened.get(viewKey)!, at);
      records.push({ agencyId, topic, key, value: Buffer.from(JSON.stringify(message)), headers });
    }
    return records;
  }

  /** What each event of the batch changes in what each receiving agency may see. */
  private async changesIn(events: readonly RecordedEvent[]): Promise<DueChange[]> {
    const changes: DueChange[] = [];
    const inBatch = new Set(events.map((e) => e.eventId));
    for (const streamId of new Set(events.filter((e) => caseIdOf(e.streamId) !== undefined).map((e) => e.streamId))) {
      const stream = await this.store.readStream(streamId);
      const folded = [...withRecords(stream.map((e) => ({ type: e.type, data: e.data }) as CaseEvent))];
      // Every message carries what the agency may see now (the case as it stands), so a relay that
      // is behind never sends data withdrawn since: the event decides only whether a message is due.
      const head = folded.at(-1)?.after;
      if (!head) continue;
      folded.forEach(({ before, after }, index) => {
        const eventId = stream[index]!.eventId;
        if (!inBatch.has(eventId)) return;
        // Of an erased case only the tombstone goes out, also when older events are relayed late.
        for (const change of feedChanges(before, after)) {
          if (!head.erased || change.kind === 'erasure') changes.push({ ...change, caseId: head.caseId, eventId, head });
        }
      });
    }
    return changes;
  }

  private async notePublishedKeys(records: readonly FeedRecord[]): Promise<void> {
    const held = records.filter((r) => r.value !== null);
    if (held.length === 0) return;
    await this.db.query(
      `INSERT INTO feed_published_keys (agency_id, record_key)
       SELECT DISTINCT agency_id, record_key FROM unnest($1::uuid[], $2::text[]) AS t(agency_id, record_key) ON CONFLICT DO NOTHING`,
      [held.map((r) => r.agencyId), held.map((r) => r.key)],
    );
  }

  /**
   * A deactivated agency's feed is closed once: a tombstone for every case key its topic holds, so
   * compaction removes what it was sent, and from then on nothing (feedRecipientsOf).
   */
  private async closeDeactivatedFeeds(): Promise<void> {
    const feeds = await this.db.query<{ agency_id: string; pseudonym_secret: string }>(
      `SELECT k.agency_id, k.pseudonym_secret FROM agency_feed_keys k LEFT JOIN agencies a ON a.id = k.agency_id
       WHERE k.closed_at IS NULL AND (a.id IS NULL OR NOT a.active)`,
    );
    for (const feed of feeds) {
      const held = await this.db.query<{ record_key: string }>('SELECT record_key FROM feed_published_keys WHERE agency_id = $1', [
        feed.agency_id,
      ]);
      const topic = feedTopic(feed.agency_id);
      const closing = held.map(({ record_key: key }) => ({
        agencyId: feed.agency_id,
        topic,
        key,
        value: null,
        headers: { 'message-id': feedMessageId(feed.pseudonym_secret, `closed:${key}`), 'schema-version': String(FEED_SCHEMA.version) },
      }));
      if (closing.length > 0) await this.publisher.publish(closing);
      await this.db.query('UPDATE agency_feed_keys SET closed_at = $2 WHERE agency_id = $1', [feed.agency_id, this.options.now()]);
    }
  }

  private async message(
    change: DueChange,
    kind: FeedPayload['kind'],
    messageId: string,
    recipient: FeedRecipient,
    view: OpenedView,
    at: string,
  ): Promise<FeedMessage> {
    const payload: FeedPayload = { messageId, caseId: change.caseId, kind, delete: change.delete, at, view };
    return {
      schema: FEED_SCHEMA.name,
      messageId,
      keyId: recipient.jwk.kid,
      payload: await encryptForAgency(recipient.jwk, messageId, payload),
    };
  }

  /** The access log's record of a view sent to an agency, with the referrals that permit it. */
  private disclosure(view: RecipientView, agency: Agency, at: string): PersonalDataRead {
    const categories = [...Object.keys(view.personalData), ...(view.referrals.some((r) => r.note) ? ['notes'] : [])];
    const principal = { userId: 'feed-relay', agencyId: agency.agencyId, agencyKind: agency.agencyKind, role: 'partner_system' as const };
    const legalBasis = { referrals: view.referrals.filter((r) => holdsSharedData(r.status)).map((r) => r.referralId) };
    return { principal, caseId: view.caseId, categories, legalBasis, at };
  }

  /** The agency's view with its personal data opened, once its disclosure is recorded. */
  private async opened(view: RecipientView): Promise<OpenedView> {
    const caseId = view.caseId;
    const personalData = await this.sealing.unsealAll(caseId, view.personalData);
    const referrals = await Promise.all(
      view.referrals.map(async (r) =>
        r.note ? { ...r, note: await this.sealing.unseal(caseId, sealedField.referralNote(r.referralId), r.note) } : r,
      ),
    );
    return { ...view, personalData, referrals };
  }
}
