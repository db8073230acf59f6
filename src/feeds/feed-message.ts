import type { RecipientView } from '../cases/recipient-view.js';
import type { FeedChangeKind } from './feed-changes.js';

/**
 * The wire format of the per-agency feeds: one topic per agency, `referrals.agency.<agencyId>.v1`,
 * keyed by case id. The topics are meant to be compacted, so the latest message per case replaces
 * the earlier ones and an erased case's tombstone (a null value) removes the key altogether:
 *
 *   cleanup.policy=compact  min.compaction.lag.ms=0  delete.retention.ms=86400000
 *
 * (delete.retention.ms: how long a tombstone stays readable for a consumer that was offline.)
 */
export const FEED_SCHEMA = { name: 'referrals.agency.v1', version: 1 } as const;

export const feedTopic = (agencyId: string): string => `referrals.agency.${agencyId}.v1`;

/** The topic configuration the relay creates topics with (KAFKA_CREATE_TOPICS) and deployments set. */
export const FEED_TOPIC_CONFIG: ReadonlyArray<{ name: string; value: string }> = [
  { name: 'cleanup.policy', value: 'compact' },
  { name: 'min.compaction.lag.ms', value: '0' },
  { name: 'delete.retention.ms', value: '86400000' },
];

/** Headers of every record, a tombstone included: partners deduplicate on `message-id` (the event's id). */
export interface FeedHeaders {
  readonly 'message-id': string;
  readonly 'schema-version': string;
  readonly kind: FeedChangeKind;
}

/** One record for the producer: `value` null is the tombstone of an erased case. */
export interface FeedRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer | null;
  readonly headers: FeedHeaders;
}

/** The record's value (JSON): ids and kind in clear, everything about the person only in `payload`. */
export interface FeedMessage {
  readonly schema: typeof FEED_SCHEMA.name;
  readonly messageId: string;
  readonly caseId: string;
  readonly kind: Exclude<FeedChangeKind, 'erasure'>;
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
