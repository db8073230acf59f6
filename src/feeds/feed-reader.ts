import type { JWK } from 'jose';
import { decryptFeedPayload } from './feed-encryption.js';
import type { FeedMessage, FeedPayload } from './feed-message.js';

/** What a partner makes of one record of its topic (the example consumer and the tests read it so). */
export type ReadFeedRecord =
  | { readonly caseId: string; readonly messageId: string; readonly kind: 'update' | 'redaction'; readonly payload: FeedPayload }
  /** The case is erased: delete everything held about it. */
  | { readonly caseId: string; readonly messageId: string; readonly kind: 'erasure' };

export interface RawFeedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}

const header = (record: RawFeedRecord, name: string): string | undefined => {
  const value = record.headers?.[name];
  return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
};

/** Decrypts a record with the agency's private key; a tombstone (null value) is an erasure. */
export async function readFeedRecord(privateJwk: JWK, record: RawFeedRecord): Promise<ReadFeedRecord> {
  const caseId = record.key?.toString('utf8') ?? '';
  if (record.value === null) return { caseId, messageId: header(record, 'message-id') ?? '', kind: 'erasure' };
  const message = JSON.parse(record.value.toString('utf8')) as FeedMessage;
  const payload = (await decryptFeedPayload(privateJwk, message.messageId, message.payload)) as FeedPayload;
  if (payload.caseId !== caseId) throw new Error('the payload belongs to another case than the record key');
  return { caseId, messageId: message.messageId, kind: message.kind, payload };
}

/**
 * What a partner keeps after reading a topic from the start: the latest record per case, duplicates
 * (same message id) dropped, an erased case gone altogether, as compaction would leave it.
 */
export function latestPerCase(records: readonly ReadFeedRecord[]): Map<string, ReadFeedRecord> {
  const seen = new Set<string>();
  const latest = new Map<string, ReadFeedRecord>();
  for (const record of records) {
    if (seen.has(record.messageId)) continue;
    seen.add(record.messageId);
    if (record.kind === 'erasure') latest.delete(record.caseId);
    else latest.set(record.caseId, record);
  }
  return latest;
}
