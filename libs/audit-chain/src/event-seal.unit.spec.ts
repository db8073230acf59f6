import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { EVENT_MAC, isAuthentic, sealMetadata } from './event-seal.js';

const key = randomBytes(32);
const event = {
  streamId: 'case-1',
  eventId: '0b6a4f1e-4f3c-4d0e-9a53-5f0e3c3b2a10',
  type: 'SafetyFlagRaised',
  data: { flag: 'no_phone_contact', by: 'u1', at: '2026-01-01T00:00:00.000Z', skipped: undefined },
  metadata: { actorUserId: 'u1' },
};
const sealed = { ...event, metadata: sealMetadata(key, event) };
/** As the database gives it back: through JSON (undefined fields gone). */
const stored = JSON.parse(JSON.stringify(sealed)) as typeof sealed;

describe('the event seal (a keyed MAC in the metadata)', () => {
  it('holds for the event as stored, and only with the service key', () => {
    expect(isAuthentic(key, stored)).toBe(true);
    expect(isAuthentic(randomBytes(32), stored)).toBe(false);
  });

  it('breaks on any change of meaning: another flag, type, stream, id or actor', () => {
    expect(isAuthentic(key, { ...stored, data: { ...stored.data, flag: 'location_must_not_be_shared' } })).toBe(false);
    expect(isAuthentic(key, { ...stored, type: 'SafetyFlagLifted' })).toBe(false);
    expect(isAuthentic(key, { ...stored, streamId: 'case-2' })).toBe(false);
    expect(isAuthentic(key, { ...stored, eventId: '1b6a4f1e-4f3c-4d0e-9a53-5f0e3c3b2a10' })).toBe(false);
    expect(isAuthentic(key, { ...stored, metadata: { ...stored.metadata, actorUserId: 'u2' } })).toBe(false);
  });

  it('is false, never a throw, for an event without a MAC or with malformed metadata', () => {
    expect(isAuthentic(key, { ...stored, metadata: { actorUserId: 'u1' } })).toBe(false);
    expect(isAuthentic(key, { ...stored, metadata: null })).toBe(false);
    expect(isAuthentic(key, { ...stored, metadata: { [EVENT_MAC]: 'zz' } })).toBe(false);
    expect(isAuthentic(key, { ...stored, data: 'x', metadata: 'x' })).toBe(false);
  });
});
