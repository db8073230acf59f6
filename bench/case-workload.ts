import { randomBytes } from 'node:crypto';
import { type CaseCommand, type CaseEvent, type Sealed, caseDecider } from '../libs/domain/index.js';
import type { EventStore } from '../libs/event-store/index.js';
import type { SqlClient } from '../libs/sql/index.js';

/** Fictional agencies; the read models need their ids and kinds only. */
export const WORKLOAD_AGENCIES = {
  owner: {
    userId: '00000000-0000-4000-8000-00000000a001',
    agencyId: '00000000-0000-4000-8000-0000000000a1',
    agencyKind: 'government_social_service',
  },
  shelter: { userId: '00000000-0000-4000-8000-00000000b001', agencyId: '00000000-0000-4000-8000-0000000000b1', agencyKind: 'shelter' },
} as const;

/** The workload's agencies as members of the network, for what reads the agencies table (the feed relay sends only to active ones). */
export async function registerWorkloadAgencies(db: SqlClient): Promise<void> {
  for (const [name, agency] of Object.entries(WORKLOAD_AGENCIES)) {
    await db.query('INSERT INTO agencies (id, name, kind) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
      agency.agencyId,
      `Workload ${name}`,
      agency.agencyKind,
    ]);
  }
}

/** Stand-in ciphertext of the size real sealed values have; the read models never open it. */
const sealed = (): Sealed => ({
  alg: 'A256GCM',
  v: 1,
  iv: randomBytes(12).toString('base64url'),
  ct: randomBytes(120).toString('base64url'),
  tag: randomBytes(16).toString('base64url'),
});

const id = (kind: number, n: number) => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;

/**
 * One case's path as the decider makes it: opened with personal data, consent for the shelter,
 * a referral, the shelter's acknowledgement, and for every third case the consent withdrawn
 * (which withdraws the referral). Ids derive from `n`, so runs are comparable.
 */
export function caseCommands(n: number, at: string): CaseCommand[] {
  const { owner, shelter } = WORKLOAD_AGENCIES;
  const caseId = id(1, n);
  const commands: CaseCommand[] = [
    {
      type: 'OpenCase',
      actor: owner,
      at,
      caseId,
      source: 'observation',
      indicators: ['work.forced_to_work'],
      ageGroup: 'adult',
      personalData: { identity: sealed(), location: sealed() },
    },
    {
      type: 'GiveConsent',
      actor: owner,
      at,
      consentId: id(2, n),
      grantor: 'person',
      method: 'verbal',
      language: 'ha',
      interpreterUsed: true,
      noticeVersion: 'n-1',
      provisions: [
        {
          provisionId: id(3, n),
          recipient: { agencyId: shelter.agencyId },
          purpose: 'service_provision',
          serviceTypes: ['shelter'],
          categories: ['identity', 'safety'],
          validFrom: at,
        },
      ],
    },
    {
      type: 'RequestReferral',
      actor: owner,
      at,
      referralId: id(4, n),
      recipient: { agencyId: shelter.agencyId, agencyKind: shelter.agencyKind },
      purpose: 'service_provision',
      serviceType: 'shelter',
      urgency: 'high',
      sharedCategories: ['identity'],
    },
    { type: 'AcknowledgeReferral', actor: shelter, at, referralId: id(4, n) },
  ];
  if (n % 3 === 0) commands.push({ type: 'WithdrawConsent', actor: owner, at, consentId: id(2, n) });
  return commands;
}

export const workloadCaseId = (n: number) => id(1, n);

/** Case `n`'s events as the decider makes them, one list per command. */
export function decideCase(n: number, at: string): CaseEvent[][] {
  let state = caseDecider.initialState();
  return caseCommands(n, at).map((command) => {
    const events: CaseEvent[] = caseDecider.decide(command, state);
    state = events.reduce(caseDecider.evolve, state);
    return events;
  });
}

/** Appends case `n`'s events, one append per command as the service does; returns how many events. */
export async function appendCase(store: EventStore, n: number, at = new Date().toISOString()): Promise<number> {
  let count = 0;
  for (const events of decideCase(n, at)) {
    await store.appendToStream(
      `case-${workloadCaseId(n)}`,
      events.map((e, i) => ({ eventId: id(5, n * 64 + count + i), type: e.type, data: e.data, metadata: { occurredAt: at } })),
      {
        expectedRevision: count === 0 ? 'no_stream' : count - 1,
      },
    );
    count += events.length;
  }
  return count;
}

/** Withdraws case `n`'s consent as the service would: fold the stream, decide, append at its revision. */
export async function withdrawConsent(store: EventStore, n: number, at = new Date().toISOString()): Promise<void> {
  const stream = `case-${workloadCaseId(n)}`;
  const recorded = await store.readStream(stream);
  const state = recorded.reduce((s, e) => caseDecider.evolve(s, { type: e.type, data: e.data } as CaseEvent), caseDecider.initialState());
  const events = caseDecider.decide({ type: 'WithdrawConsent', actor: WORKLOAD_AGENCIES.owner, at, consentId: id(2, n) }, state);
  await store.appendToStream(
    stream,
    events.map((e, i) => ({ eventId: id(6, n * 64 + i), type: e.type, data: e.data, metadata: { occurredAt: at } })),
    {
      expectedRevision: recorded.length - 1,
    },
  );
}
