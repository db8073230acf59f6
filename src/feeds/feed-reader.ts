import type { JWK } from 'jose';
import { decryptFeedPayload } from './feed-encryption.js';
import type { FeedMessage, FeedPayload } from './feed-message.js';

/**
 * What a partner makes of one record of its topic (the example consumer and the tests read it so).
 * `key` is the case's pseudonym in this agency's topic: keep your copy of a case under it.
 */
export type ReadFeedRecord =
  | {
      readonly key: string;
      readonly messageId: string;
      readonly caseId: string;
      readonly kind: 'update' | 'redaction';
      readonly payload: FeedPayload;
    }
  /** The case was erased, or your agency's feed was closed: delete everything held under this key. */
  | { readonly key: string; readonly messageId: string; readonly kind: 'tombstone' };

export interface RawFeedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}

const header = (record: RawFeedRecord, name: string): string | undefined => {
  const value = record.headers?.[name];
  return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
};

/** Decrypts a record with the agency's private key; a null value is a tombstone. */
export async function readFeedRecord(privateJwk: JWK, record: RawFeedRecord): Promise<ReadFeedRecord> {
  const key = record.key?.toString('utf8') ?? '';
  if (record.value === null) return { key, messageId: header(record, 'message-id') ?? '', kind: 'tombstone' };
  const message = JSON.parse(record.value.toString('utf8')) as FeedMessage;
  const payload = (await decryptFeedPayload(privateJwk, message.messageId, message.payload)) as FeedPayload;
  return { key, messageId: message.messageId, caseId: payload.caseId, kind: payload.kind, payload };
}

/**
 * What a partner keeps after reading a topic from the start: the latest record per key, duplicates
 * (same message id) dropped, a tombstoned key gone altogether, as compaction would leave it.
 */
export function latestPerCase(records: readonly ReadFeedRecord[]): Map<string, ReadFeedRecord> {
  const seen = new Set<string>();
  const latest = new Map<string, ReadFeedRecord>();
  for (const record of records) {
    if (seen.has(record.messageId)) continue;
    seen.add(record.messageId);
    if (record.kind === 'tombstone') latest.delete(record.key);
    else latest.set(record.key, record);
  }
  return latest;
}
