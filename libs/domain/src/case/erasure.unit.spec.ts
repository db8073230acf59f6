import { describe, it } from '@jest/globals';
import type { Actor, CaseCommand } from '../commands.js';
import type { CaseEvent } from '../events.js';
import { closed, consented, opened, owner, police, referred, shelter, spec, supervisor, t1, t2, t3 } from './testing/fixtures.js';

describe('erasure', () => {
  const coordinator: Actor = { userId: 'u-coordinator', agencyId: 'a-justice', agencyKind: 'prosecution' };
  const request = (actor = supervisor): CaseCommand => ({
    type: 'RequestErasure',
    actor,
    at: t2,
    requestId: 'e-1',
    reason: 'person_requested',
  });
  const approve = (actor: Actor, asCoordinator = false): CaseCommand => ({
    type: 'ApproveErasure',
    actor,
    at: t3,
    requestId: 'e-1',
    asCoordinator,
  });
  const requested: CaseEvent = {
    type: 'ErasureRequested',
    data: { requestId: 'e-1', reason: 'person_requested', by: supervisor.userId, at: t2 },
  };
  const erasedBy = (by: string): CaseEvent => ({
    type: 'CaseErased',
    data: { requestId: 'e-1', reason: 'person_requested', requestedBy: supervisor.userId, by, at: t3 },
  });
  const retention = (closedBefore: string): CaseCommand => ({
    type: 'EraseForRetention',
    actor: { ...owner, userId: 'system:retention' },
    at: t3,
    requestId: 'e-r',
    closedBefore,
  });

  it('is requested by the owning agency', () => spec.given([opened()]).when(request()).then([requested]));
  it('lets only one request wait at a time', () => spec.given([opened(), requested]).when(request()).thenThrows({ kind: 'conflict' }));
  it('is not requested by an agency unrelated to the case, which learns nothing of it', () =>
    spec.given([opened()]).when(request(police)).thenThrows({ kind: 'not_found', message: 'case not found' }));
  it('needs a second person: the requester cannot approve it', () =>
    spec.given([opened(), requested]).when(approve(supervisor)).thenThrows({ kind: 'forbidden' }));
  it('is approved by another person of the owning agency, withdrawing open referrals in the same decision', () =>
    spec
      .given([opened(), consented(), referred, requested])
      .when(approve(owner))
      .then([
        erasedBy(owner.userId),
        { type: 'ReferralWithdrawn', data: { referralId: 'r-1', by: owner.userId, at: t3, cause: 'case_erased' } },
      ]));
  it('may be approved by a network coordinator from another agency', () =>
    spec
      .given([opened(), requested])
      .when(approve(coordinator, true))
      .then([erasedBy(coordinator.userId)]));
  it('is approved by nobody else outside the owning agency', () =>
    spec.given([opened(), requested]).when(approve(police)).thenThrows({ kind: 'not_found' }));
  it('is not approved by a coordinator of an agency the case was referred to: a recipient like any other', () =>
    spec
      .given([opened(), consented(), referred, requested])
      .when(approve({ ...shelter, userId: 'u-shelter-coordinator' }, true))
      .thenThrows({ kind: 'forbidden' }));
  it('leaves nothing to do on the case afterwards', () =>
    spec
      .given([opened(), requested, erasedBy(owner.userId)])
      .when({ type: 'ResumeCase', actor: owner, at: t3 })
      .thenThrows({ kind: 'conflict', message: 'the case is erased', name: 'CaseAlreadyErased' }));
  it('tells an agency unrelated to an erased case nothing of it', () =>
    spec
      .given([opened(), requested, erasedBy(owner.userId)])
      .when({ type: 'ResumeCase', actor: police, at: t3 })
      .thenThrows({ kind: 'not_found', message: 'case not found' }));
  it('for retention, erases a case closed for the whole period', () =>
    spec
      .given([opened(), closed])
      .when(retention(t3))
      .then([
        {
          type: 'CaseErased',
          data: { requestId: 'e-r', reason: 'retention', requestedBy: 'system:retention', by: 'system:retention', at: t3 },
        },
      ]));
  it('for retention, leaves a case closed for less than the period', () =>
    spec.given([opened(), closed]).when(retention(t1)).thenThrows({ kind: 'conflict' }));
  it('for retention, leaves a case still open', () => spec.given([opened()]).when(retention(t3)).thenThrows({ kind: 'conflict' }));
});
