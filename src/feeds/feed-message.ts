import type { RecipientView } from '../cases/recipient-view.js';
import type { FeedChangeKind } from './feed-changes.js';

/**
 * The wire format of the per-agency feeds: one topic per agency, `referrals.agency.<agencyId>.v1`,
 * keyed by a pseudonym of the case (feed-pseudonyms.ts). Nothing about the case is in clear: not
 * its id, not what happened (update, redaction); only the payload, encrypted to the agency, says.
 * The topics are compacted, so the latest message per case replaces the earlier ones and an erased
 * case's tombstone (a null value) removes the key altogether.
 */
export const FEED_SCHEMA = { name: 'referrals.agency.v1', version: 2 } as const;

export const feedTopic = (agencyId: string): string => `referrals.agency.${agencyId}.v1`;

const HOUR_MS = 3_600_000;

/**
 * The topic configuration the relay creates topics with and checks existing ones against. A
 * redaction must replace what it redacts within a bounded time, so compaction is forced to run: the
 * active segment (never compacted) rolls hourly, any record older than an hour is compacted whatever
 * the dirty ratio, and a little dirt is enough to start. A tombstone stays a day for a consumer that
 * was offline.
 */
export const FEED_TOPIC_CONFIG: ReadonlyArray<{ name: string; value: string }> = [
  { name: 'cleanup.policy', value: 'compact' },
  { name: 'min.compaction.lag.ms', value: '0' },
  { name: 'max.compaction.lag.ms', value: String(HOUR_MS) },
  { name: 'segment.ms', value: String(HOUR_MS) },
  { name: 'min.cleanable.dirty.ratio', value: '0.01' },
  { name: 'delete.retention.ms', value: String(24 * HOUR_MS) },
];

/** Headers of every record, a tombstone included: partners deduplicate on `message-id` (a pseudonym of the event's id). */
export interface FeedHeaders {
  readonly 'message-id': string;
  readonly 'schema-version': string;
}

/** One record for the producer: `value` null is the tombstone of an erased case, or of every case of a closed feed. */
export interface FeedRecord {
  /** The receiving agency (not sent: the topic names it). */
  readonly agencyId: string;
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer | null;
  readonly headers: FeedHeaders;
}

/** The record's value (JSON): the message id and the key in clear, everything about the case only in `payload`. */
export interface FeedMessage {
  readonly schema: typeof FEED_SCHEMA.name;
  readonly messageId: string;
  /** The RFC 7638 thumbprint of the agency's registered key the payload is encrypted to. */
  readonly keyId: string;
  /** Compact JWE of a FeedPayload, to the agency's public key (feed-encryption.ts). */
  readonly payload: string;
}

/** What the agency may see of the case now, with its personal data opened, exactly as GET /cases/:id shows it. */
export type OpenedView = Omit<RecipientView, 'personalData' | 'referrals'> & {
  personalData: Record<string, unknown>;
  referrals: Array<Omit<RecipientView['referrals'][number], 'note'> & { note?: unknown }>;
};

/** The decrypted payload. */
export interface FeedPayload {
  readonly messageId: string;
  readonly caseId: string;
  readonly kind: Exclude<FeedChangeKind, 'erasure'>;
  /** A redaction: the categories (and `notes`) to delete from the agency's copy now. */
  readonly delete: readonly string[];
  /** When the relay read what the agency may see. */
  readonly at: string;
  readonly view: OpenedView;
}
