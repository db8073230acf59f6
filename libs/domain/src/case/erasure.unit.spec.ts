import { describe, it } from '@jest/globals';
import type { Actor, CaseCommand } from '../commands.js';
import type { CaseEvent } from '../events.js';
import { closed, consented, opened, owner, police, referred, shelter, spec, supervisor, t1, t2, t3 } from './testing/fixtures.js';

describe('erasure', () => {
  const coordinator: Actor = { userId: 'u-coordinator', agencyId: 'a-justice', agencyKind: 'prosecution' };
  const request = (actor = supervisor, requestId = 'e-1'): CaseCommand => ({
    type: 'RequestErasure',
    actor,
    at: t2,
    requestId,
    reason: 'person_requested',
  });
  const approve = (actor: Actor, asCoordinator = false): CaseCommand => ({
    type: 'ApproveErasure',
    actor,
    at: t3,
    requestId: 'e-1',
    asCoordinator,
  });
  const rejectAs = (actor: Actor, asCoordinator = false, requestId = 'e-1'): CaseCommand => ({
    type: 'RejectErasure',
    actor,
    at: t3,
    requestId,
    asCoordinator,
  });
  const rejectedBy = (by: string): CaseEvent => ({ type: 'ErasureRequestRejected', data: { requestId: 'e-1', by, at: t3 } });
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

  describe('a rejected request', () => {
    const requestedAgain: CaseEvent = {
      type: 'ErasureRequested',
      data: { requestId: 'e-2', reason: 'person_requested', by: supervisor.userId, at: t2 },
    };
    it('is rejected by another person of the owning agency, erasing nothing', () =>
      spec
        .given([opened(), consented(), referred, requested])
        .when(rejectAs(owner))
        .then([rejectedBy(owner.userId)]));
    it('may be rejected by a network coordinator from another agency', () =>
      spec
        .given([opened(), requested])
        .when(rejectAs(coordinator, true))
        .then([rejectedBy(coordinator.userId)]));
    it('needs a second person: the requester cannot reject it', () =>
      spec.given([opened(), requested]).when(rejectAs(supervisor)).thenThrows({
        kind: 'forbidden',
        message: 'erasure needs a second person: the requester cannot reject it',
      }));
    it('is not rejected by an unknown request id', () =>
      spec
        .given([opened(), requested])
        .when(rejectAs(owner, false, 'e-9'))
        .thenThrows({ kind: 'not_found', message: 'erasure request e-9 not found' }));
    it('tells a coordinator outside the agency nothing of the case without the id of a waiting request', () =>
      spec.given([opened()]).when(rejectAs(coordinator, true)).thenThrows({ kind: 'not_found', message: 'case not found' }));
    it('is not rejected by a coordinator of an agency the case was referred to', () =>
      spec
        .given([opened(), consented(), referred, requested])
        .when(rejectAs({ ...shelter, userId: 'u-shelter-coordinator' }, true))
        .thenThrows({ kind: 'forbidden' }));
    it('leaves room for a new request', () =>
      spec
        .given([opened(), requested, rejectedBy(owner.userId)])
        .when(request(supervisor, 'e-2'))
        .then([requestedAgain]));
    it('can no longer be approved, even once a new request waits', () =>
      spec
        .given([opened(), requested, rejectedBy(owner.userId), requestedAgain])
        .when(approve(owner))
        .thenThrows({ kind: 'not_found', message: 'erasure request e-1 not found' }));
    it('can no longer be rejected, even once a new request waits', () =>
      spec
        .given([opened(), requested, rejectedBy(owner.userId), requestedAgain])
        .when(rejectAs(owner))
        .thenThrows({ kind: 'not_found', message: 'erasure request e-1 not found' }));
  });
});
