import type { AgencyKind } from '../../libs/consent-policy/index.js';
import type { CaseEvent } from '../../libs/domain/index.js';
import { type CaseRecord, evolveCaseRecord } from '../cases/case-record.js';
import { type RecipientView, recipientSlice, recipientView } from '../cases/recipient-view.js';

/**
 * What the per-agency feeds say about one case event, decided on the same code as what an agency
 * reads over HTTP (recipientSlice, then recipientView). Pure: no I/O, no clock.
 */
export interface Agency {
  readonly agencyId: string;
  readonly agencyKind: AgencyKind;
}

/**
 * `update`: what the agency may see changed; `redaction`: it may see less than before and must
 * delete what it no longer may (the withdrawn categories, a note); `erasure`: the case is erased,
 * its key gets a tombstone and the agency deletes everything it holds of it.
 */
export type FeedChangeKind = 'update' | 'redaction' | 'erasure';

export interface FeedChange {
  readonly agency: Agency;
  readonly kind: FeedChangeKind;
  /** What the agency must delete: the categories (and `notes`) it saw before the event and no longer sees after. */
  readonly delete: readonly string[];
}

/** An agency's view as the views compute it: only through its slice, as the projection stores it. */
export function agencyView(record: CaseRecord, agency: Agency, at: string): RecipientView | undefined {
  const slice = recipientSlice(record, agency, at);
  return slice && recipientView(slice, agency, at);
}

/** Every agency the case was ever referred to, other than its owner. */
export function recipientsOf(record: CaseRecord | undefined): Agency[] {
  const agencies = new Map((record?.referrals ?? []).map((r) => [r.toAgencyId, r.toAgencyKind]));
  if (record) agencies.delete(record.owningAgencyId);
  return [...agencies].map(([agencyId, agencyKind]) => ({ agencyId, agencyKind }));
}

const held = (view: RecipientView | undefined): string[] =>
  view ? [...Object.keys(view.personalData), ...(view.referrals.some((r) => r.note) ? ['notes'] : [])] : [];

/**
 * The changes one event makes to what each receiving agency may see. The view before is taken at
 * the time of the previous event and the one after at this event's, so a consent that lapsed in
 * between (the expiry process then records its consequence) also reads as a redaction.
 */
export function feedChanges(before: CaseRecord | undefined, after: CaseRecord | undefined): FeedChange[] {
  // An erased case's key has had its tombstone: nothing may follow it (not even the referrals the erasure withdrew).
  if (!after || before?.erased) return [];
  if (after.erased && !before?.erased) return recipientsOf(after).map((agency) => ({ agency, kind: 'erasure' as const, delete: [] }));
  return recipientsOf(after).flatMap((agency): FeedChange[] => {
    const was = before && agencyView(before, agency, before.updatedAt);
    const now = agencyView(after, agency, after.updatedAt);
    if (JSON.stringify(was) === JSON.stringify(now)) return [];
    const gone = held(was).filter((category) => !held(now).includes(category));
    return [{ agency, kind: gone.length > 0 ? 'redaction' : 'update', delete: gone }];
  });
}

/** Folds a case's events, giving each event with the record before and after it. */
export function* withRecords(events: Iterable<CaseEvent>): Generator<{ event: CaseEvent; before?: CaseRecord; after?: CaseRecord }> {
  let record: CaseRecord | undefined;
  for (const event of events) {
    const before = record;
    record = evolveCaseRecord(record, event);
    yield { event, ...(before ? { before } : {}), ...(record ? { after: record } : {}) };
  }
}
