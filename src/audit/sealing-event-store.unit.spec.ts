import { describe, expect, it, jest } from '@jest/globals';
import type { EventStore, ReadAllResult } from '../../libs/event-store/index.js';
import { SealingEventStore } from './sealing-event-store.js';

describe('the sealing event store, around the store that keeps the events', () => {
  it("reads $all with the reader's options unchanged: a filter dropped here would hand every event to a reader asking for a few", async () => {
    const page: ReadAllResult = { events: [], next: '7' };
    const readAll = jest.fn<EventStore['readAll']>().mockResolvedValue(page);
    const sealing = new SealingEventStore({ readAll } as unknown as EventStore, Buffer.alloc(32, 1));
    await expect(sealing.readAll('7', 50, { eventTypes: ['CaseErased'] })).resolves.toBe(page);
    expect(readAll.mock.calls).toEqual([['7', 50, { eventTypes: ['CaseErased'] }]]);
  });
});
