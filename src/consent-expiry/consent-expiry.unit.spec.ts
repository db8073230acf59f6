import { describe, expect, it } from '@jest/globals';
import type { EventStore, RecordedEvent } from '../../libs/event-store/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import type { CaseCommandService } from '../cases/case-commands.service.js';
import type { AppConfig } from '../config/app-config.js';
import type { MemberAgencies } from '../identity/member-agencies.js';
import { Clock } from '../platform/clock.js';
import { ConsentExpiry } from './consent-expiry.service.js';

const NOW = '2031-01-01T00:00:00.000Z';

describe('the consent-expiry process, one pass', () => {
  it('goes on to the next case when one case fails, and keeps the failed case due for the next pass', async () => {
    const due = ['case-that-fails', 'case-that-expires'];
    const deleted: unknown[][] = [];
    const db = {
      query: async (sql: string, params: unknown[]) => {
        if (sql.startsWith('SELECT case_id')) return due.map((caseId) => ({ case_id: caseId }));
        if (sql.startsWith('DELETE')) deleted.push(params);
        return [];
      },
    } as unknown as SqlDatabase;
    const store = {
      readStream: async () => [{ data: { owningAgencyId: 'agency-owning' } } as unknown as RecordedEvent],
    } as unknown as EventStore;
    const ran: string[] = [];
    const commands = {
      execute: async ({ caseId }: { caseId: string }) => {
        ran.push(caseId);
        if (caseId === 'case-that-fails') throw new TypeError('a case the decider cannot read');
        return { events: [{ type: 'ReferralWithdrawn' }], revision: 4 };
      },
    } as unknown as CaseCommandService;
    const clock = Object.assign(new Clock(), { now: () => NOW });
    const owning = { name: 'Owning agency', kind: 'government_social_service', active: true };
    const members = { find: async (id: string) => ({ id, ...owning }) } as unknown as MemberAgencies;
    const expiry = new ConsentExpiry({ consentExpiryBatch: 100 } as AppConfig, db, store, commands, clock, members);

    expect(await expiry.expireDue()).toBe(2);
    expect(ran).toEqual(due);
    // Only the case that ran loses its due moments; the one that failed is tried again next pass.
    expect(deleted).toEqual([['case-that-expires', NOW, 3]]);
  });
});
