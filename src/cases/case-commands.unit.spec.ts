import { describe, expect, it } from '@jest/globals';
import type { Sealed } from '../../libs/domain/index.js';
import { type EventStore, type EventToAppend, type RecordedEvent, WrongExpectedRevisionError } from '../../libs/event-store/index.js';
import type { Principal } from '../identity/principal.js';
import { Clock } from '../platform/clock.js';
import { CaseCommandService } from './case-commands.service.js';
import { type CaseSealing, sealLater } from './case-sealing.js';

const principal: Principal = { userId: 'user-1', agencyId: 'agency-1', agencyKind: 'national_ngo', role: 'caseworker' };
const CASE_ID = '6f1c1c6e-0000-4000-8000-000000000001';

/** A store whose first append finds that someone else wrote to the stream in between. */
function storeThatConflictsOnce() {
  const stream: RecordedEvent[] = [];
  let conflicts = 1;
  const store = {
    readStream: async () => [...stream],
    appendToStream: async (streamId: string, events: readonly EventToAppend[]) => {
      if (conflicts-- > 0) throw new WrongExpectedRevisionError(streamId, 'no_stream', 0);
      stream.push(...events.map((e, i) => ({ ...e, streamId, revision: i, position: String(i + 1), recordedAt: new Date() })));
      return { nextExpectedRevision: stream.length - 1, position: String(stream.length) };
    },
  } as unknown as EventStore;
  return { store, stream };
}

const openCase = (at: string) =>
  ({
    type: 'OpenCase',
    caseId: CASE_ID,
    source: 'hotline',
    indicators: [],
    ageGroup: 'adult',
    personalData: {},
    actor: { ...principal },
    at,
  }) as const;

describe('the case command service', () => {
  it('reads no history for a case whose id was drawn for this request', async () => {
    const reads: string[] = [];
    const store = {
      readStream: async (streamId: string) => (reads.push(streamId), []),
      appendToStream: async () => ({ nextExpectedRevision: 0, position: '1' }),
    } as unknown as EventStore;
    const service = new CaseCommandService(store, Buffer.alloc(32, 1), new Clock(), {} as CaseSealing);
    const request = { caseId: CASE_ID, principal, ids: service.idSource(principal), correlationId: 'c-3', request: {}, build: openCase };
    await service.execute({ ...request, newCase: true });
    expect(reads).toEqual([]);
    await service.execute(request);
    expect(reads).toHaveLength(1);
  });

  it('reads the history after all when a case drawn as new turns out to exist', async () => {
    const { store, stream } = storeThatConflictsOnce();
    let reads = 0;
    const counting = { ...store, readStream: async (id: string) => (reads++, store.readStream(id)) };
    const service = new CaseCommandService(counting, Buffer.alloc(32, 1), new Clock(), {} as CaseSealing);
    await service.execute({
      caseId: CASE_ID,
      principal,
      newCase: true,
      ids: service.idSource(principal),
      correlationId: 'c-4',
      request: {},
      build: openCase,
    });
    expect(reads).toBe(1);
    expect(stream).toHaveLength(1);
  });

  it('seals personal data once, even when a concurrent write makes it decide the command again', async () => {
    const { store, stream } = storeThatConflictsOnce();
    const seals: string[] = [];
    const sealing = {
      seal: async (_caseId: string, field: string) => {
        seals.push(field);
        return { sealed: field } as Sealed;
      },
    } as unknown as CaseSealing;
    const service = new CaseCommandService(store, Buffer.alloc(32, 1), new Clock(), sealing);
    const outcome = await service.execute({
      caseId: CASE_ID,
      principal,
      ids: service.idSource(principal),
      correlationId: 'c-1',
      request: {},
      build: (at) => ({
        type: 'OpenCase',
        caseId: CASE_ID,
        source: 'hotline',
        indicators: [],
        ageGroup: 'adult',
        personalData: { identity: sealLater('identity', { fullName: 'A Person' }) },
        actor: { ...principal },
        at,
      }),
    });
    expect(seals).toEqual(['identity']);
    expect(outcome.replayed).toBe(false);
    expect(stream.map((e) => e.data)).toEqual([expect.objectContaining({ personalData: { identity: { sealed: 'identity' } } })]);
  });

  it('seals nothing for a command the decider refuses', async () => {
    const { store, stream } = storeThatConflictsOnce();
    const seals: string[] = [];
    const sealing = {
      seal: async (_caseId: string, field: string) => {
        seals.push(field);
        return {} as Sealed;
      },
    } as unknown as CaseSealing;
    const service = new CaseCommandService(store, Buffer.alloc(32, 1), new Clock(), sealing);
    await expect(
      service.execute({
        caseId: CASE_ID,
        principal,
        ids: service.idSource(principal),
        correlationId: 'c-2',
        request: {},
        build: (at) => ({
          type: 'InterruptCase',
          reason: 'lost_contact',
          note: sealLater('case:interruption-note', 'words'),
          actor: { ...principal },
          at,
        }),
      }),
    ).rejects.toMatchObject({ name: 'CommandRejected' });
    expect(seals).toEqual([]);
    expect(stream).toEqual([]);
  });
});
