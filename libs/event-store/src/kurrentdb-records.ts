// How KurrentDB's records, positions and filters read as the event-store port's (see KurrentDbEventStore).
import { type Filter, type Position, type ResolvedEvent, eventTypeFilter } from '@kurrent/kurrentdb-client';
import { type GlobalPosition, type RecordedEvent, UnknownPositionError } from './event-store.port.js';

/** A server-side filter of `$all` on these event type names and nothing else (not names they begin). */
export const ofEventTypes = (types: readonly string[]): Filter =>
  eventTypeFilter({ regex: `^(?:${types.map((type) => type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$` });

const isSystem = (streamId: string, type: string) => streamId.startsWith('$') || type.startsWith('$');

export function positionOf(resolved: ResolvedEvent): Position | undefined {
  return resolved.event?.position ?? resolved.link?.position;
}

export function toRecorded(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event?.position || isSystem(event.streamId, event.type)) return undefined;
  const data = event.data as Record<string, unknown>;
  const metadata = (event.metadata ?? {}) as Record<string, unknown>;
  return {
    eventId: event.id,
    type: event.type,
    data,
    metadata,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: encode(event.position),
    recordedAt: event.created,
  };
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}

export const encode = (position: Position): GlobalPosition => `${position.commit}/${position.prepare}`;

const POSITION = /^(\d{1,20})\/(\d{1,20})$/;

/** A position this adapter handed out; anything else (an SQL store's) cannot be resumed from. */
export function decode(position: GlobalPosition): Position {
  const match = POSITION.exec(position);
  if (!match) throw new UnknownPositionError();
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}
