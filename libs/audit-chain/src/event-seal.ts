import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './chain.js';

/**
 * A keyed MAC over an event's meaning, written into its metadata when it is appended. Whoever can
 * write the events table without the service's key cannot make an event that passes `isAuthentic`:
 * a forged event, or a genuine one edited, moved to another stream or given another id or type.
 * The revision is not covered (an append with `expectedRevision: 'any'` does not know it); the
 * hash chain records each event's revision and position. Pure: the key comes in as an argument.
 */
export const EVENT_MAC = 'mac';

interface SealedFields {
  readonly streamId: string;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

function macOf(key: Buffer, event: SealedFields): string {
  const { [EVENT_MAC]: _mac, ...metadata } = isObject(event.metadata) ? event.metadata : {};
  // Through JSON first: what is hashed on append is exactly what is read back from the database.
  const meaning = JSON.parse(
    JSON.stringify(['event.v1', event.streamId, event.eventId.toLowerCase(), event.type, event.data ?? null, metadata]),
  ) as unknown;
  return createHmac('sha256', key).update(canonicalJson(meaning)).digest('hex');
}

/** The event's metadata with its MAC added. */
export function sealMetadata(key: Buffer, event: SealedFields): Record<string, unknown> {
  return { ...(isObject(event.metadata) ? event.metadata : {}), [EVENT_MAC]: macOf(key, event) };
}

/** True when the event carries the MAC the key gives for it; never throws on a malformed row. */
export function isAuthentic(key: Buffer, event: SealedFields): boolean {
  const claimed = isObject(event.metadata) ? event.metadata[EVENT_MAC] : undefined;
  if (typeof claimed !== 'string' || !/^[0-9a-f]{64}$/.test(claimed) || typeof event.eventId !== 'string') return false;
  return timingSafeEqual(Buffer.from(claimed, 'hex'), Buffer.from(macOf(key, event), 'hex'));
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
