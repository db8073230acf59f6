import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DisclosureGrant } from '../../libs/consent-policy/index.js';
import type { CaseEvent } from '../../libs/domain/index.js';
import { SqlEventStore } from '../../libs/event-store/index.js';
import { ProjectionRunner } from '../../libs/projections/index.js';
import { GIVEN_VERBALLY, testDatabases } from '../../libs/testing/index.js';
import { caseStream } from '../cases/case-stream.js';
import { consentDeadlines } from './consent-deadlines.projection.js';

const at = '2026-03-01T09:00:00.000Z';
const grant = (validUntil?: string): DisclosureGrant => ({
  recipient: { agencyId: randomUUID() },
  purpose: 'service_provision',
  serviceTypes: ['shelter'],
  categories: ['identity'],
  validFrom: at,
  ...(validUntil ? { validUntil } : {}),
});
const consent = (...grants: DisclosureGrant[]): CaseEvent => ({
  type: 'ConsentGiven',
  data: {
    consentId: randomUUID(),
    ...GIVEN_VERBALLY,
    recordedBy: 'u',
    givenAt: at,
    provisions: grants.map((g) => ({ ...g, provisionId: randomUUID() })),
  },
});

for (const database of testDatabases()) {
  describe(`the consent deadlines read model (${database.name})`, () => {
    it("holds each end of a consent provision and of a proposed determination's scope, with the revision that set it, and drops an erased case", async () => {
      const db = await database.open();
      try {
        const store = new SqlEventStore(db);
        await store.migrate();
        const [kept, erased] = [randomUUID(), randomUUID()];
        const append = (caseId: string, events: CaseEvent[]) =>
          store.appendToStream(
            caseStream(caseId),
            events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data, metadata: {} })),
            {
              expectedRevision: 'any',
            },
          );
        await append(kept, [
          consent(grant('2026-04-01T00:00:00.000Z'), grant()),
          {
            type: 'BestInterestsDeterminationProposed',
            data: { determinationId: randomUUID(), scope: [grant('2026-05-01T00:00:00.000Z')], reasons: {}, by: 'u', at },
          },
          // The same end again, later in the stream: kept once, at the later revision.
          consent(grant('2026-04-01T00:00:00.000Z')),
        ]);
        await append(erased, [consent(grant('2026-04-01T00:00:00.000Z'))]);
        await append(erased, [
          { type: 'CaseErased', data: { requestId: randomUUID(), reason: 'person_requested', requestedBy: 'u', by: 'v', at } },
        ]);

        const runner = new ProjectionRunner('read-models', db, store, [consentDeadlines], { batchSize: 2 });
        await runner.migrate();
        await runner.catchUp();
        const rows = await db.query<{ case_id: string; deadline: Date | string; revision: number }>(
          'SELECT case_id, deadline, revision FROM consent_deadlines ORDER BY deadline',
        );
        expect(rows.map((r) => ({ caseId: r.case_id, deadline: new Date(r.deadline).toISOString(), revision: r.revision }))).toEqual([
          { caseId: kept, deadline: '2026-04-01T00:00:00.000Z', revision: 2 },
          { caseId: kept, deadline: '2026-05-01T00:00:00.000Z', revision: 1 },
        ]);
      } finally {
        await db.close();
      }
    });
  });
}
