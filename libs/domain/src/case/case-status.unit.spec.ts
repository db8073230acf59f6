import { describe, it } from '@jest/globals';
import type { CaseCommand } from '../commands.js';
import type { CaseEvent } from '../events.js';
import {
  closed,
  consented,
  interrupted,
  opened,
  owner,
  police,
  referralData,
  referred,
  sealed,
  shelter,
  spec,
  step,
  t1,
  t2,
  t3,
} from './testing/fixtures.js';

describe('interruption, resumption, closure, reopening', () => {
  const command = (type: 'InterruptCase' | 'ResumeCase' | 'CloseCase' | 'ReopenCase', actor = owner): CaseCommand =>
    type === 'InterruptCase'
      ? { type, actor, at: t2, reason: 'lost_contact' }
      : type === 'CloseCase'
        ? { type, actor, at: t2, reason: 'other' }
        : { type, actor, at: t2 };
  const resumed: CaseEvent = { type: 'CaseResumed', data: { by: owner.userId, at: t2 } };
  const reopened: CaseEvent = { type: 'CaseReopened', data: { by: owner.userId, at: t2 } };
  const held = step('ReferralPutOnHold', owner.userId);
  const paused = [opened(), consented(), referred, interrupted, held];
  // Requested at t1 with 72 h to answer; held at t2 (24 h later, 48 h left); resumed ten days later.
  const resumedAt = '2026-03-12T10:00:00.000Z';
  const resume: CaseCommand = { type: 'ResumeCase', actor: owner, at: resumedAt };

  it('pauses an open case and puts its open referrals on hold, not lost', () =>
    spec.given([opened(), consented(), referred]).when(command('InterruptCase')).then([interrupted, held]));
  it('does not hold a referral already answered for good', () =>
    spec
      .given([opened(), consented(), referred, step('ReferralDeclined', shelter.userId, t1, { reason: 'no_capacity' })])
      .when(command('InterruptCase'))
      .then([interrupted]));
  it('resumes a paused case', () => spec.given([opened(), interrupted]).when(command('ResumeCase')).then([resumed]));
  it('on resumption, gives a held referral awaiting its answer the time it had left', () =>
    spec
      .given(paused)
      .when(resume)
      .then([
        { type: 'CaseResumed', data: { by: owner.userId, at: resumedAt } },
        step('ReferralResumed', owner.userId, resumedAt, { respondBy: '2026-03-14T10:00:00.000Z' }),
      ]));
  it('on resumption, lets an accepted referral keep its deadline: it was met', () =>
    spec
      .given([opened(), consented(), referred, step('ReferralAccepted', shelter.userId, t1), interrupted, held])
      .when(resume)
      .then([
        { type: 'CaseResumed', data: { by: owner.userId, at: resumedAt } },
        step('ReferralResumed', owner.userId, resumedAt, { respondBy: referralData.respondBy }),
      ]));
  it('lets the recipient acknowledge a held referral', () =>
    spec
      .given(paused)
      .when({ type: 'AcknowledgeReferral', actor: shelter, at: t3, referralId: 'r-1' })
      .then([step('ReferralAcknowledged', shelter.userId, t3)]));
  it('lets the recipient decline a held referral', () =>
    spec
      .given(paused)
      .when({ type: 'DeclineReferral', actor: shelter, at: t3, referralId: 'r-1', reason: 'no_capacity' })
      .then([step('ReferralDeclined', shelter.userId, t3, { reason: 'no_capacity' })]));
  it('does not let the recipient accept a held referral', () =>
    spec
      .given(paused)
      .when({ type: 'AcceptReferral', actor: shelter, at: t3, referralId: 'r-1' })
      .thenThrows({ kind: 'conflict', message: 'referral is on hold; cannot accept it' }));
  it('does not let the recipient complete a held referral', () =>
    spec
      .given([opened(), consented(), referred, step('ReferralAccepted', shelter.userId, t1), interrupted, held])
      .when({ type: 'CompleteReferral', actor: shelter, at: t3, referralId: 'r-1', outcome: sealed })
      .thenThrows({ kind: 'conflict' }));
  it('lets the recipient accept once the case resumed: the hold is gone', () =>
    spec
      .given([...paused, resumed, step('ReferralResumed', owner.userId, t2, { respondBy: t3 })])
      .when({ type: 'AcceptReferral', actor: shelter, at: t3, referralId: 'r-1' })
      .then([step('ReferralAccepted', shelter.userId, t3)]));
  it('releases a held referral that is declined, so resumption leaves it alone', () =>
    spec
      .given([...paused, step('ReferralDeclined', shelter.userId, t3, { reason: 'person_unreachable' })])
      .when({ type: 'ResumeCase', actor: owner, at: t3 })
      .then([{ type: 'CaseResumed', data: { by: owner.userId, at: t3 } }]));
  it('withdraws held referrals when a paused case is closed', () =>
    spec
      .given(paused)
      .when(command('CloseCase'))
      .then([closed, step('ReferralWithdrawn', owner.userId, t2, { cause: 'case_closed' })]));
  it('closes an open case, withdrawing its open referrals', () =>
    spec
      .given([opened(), consented(), referred])
      .when(command('CloseCase'))
      .then([closed, step('ReferralWithdrawn', owner.userId, t2, { cause: 'case_closed' })]));
  it('closes a paused case', () => spec.given([opened(), interrupted]).when(command('CloseCase')).then([closed]));
  it('reopens a closed case', () => spec.given([opened(), closed]).when(command('ReopenCase')).then([reopened]));
  it('does not resume an open case', () =>
    spec.given([opened()]).when(command('ResumeCase')).thenThrows({ kind: 'conflict', message: 'case is open; cannot resume it' }));
  it('does not interrupt a paused case', () =>
    spec.given([opened(), interrupted]).when(command('InterruptCase')).thenThrows({ kind: 'conflict' }));
  it('does not close a closed case', () => spec.given([opened(), closed]).when(command('CloseCase')).thenThrows({ kind: 'conflict' }));
  it('does not interrupt a closed case', () =>
    spec.given([opened(), closed]).when(command('InterruptCase')).thenThrows({ kind: 'conflict' }));
  it('does not reopen an open case', () => spec.given([opened()]).when(command('ReopenCase')).thenThrows({ kind: 'conflict' }));
  it('is for the owning agency only, not for a recipient', () =>
    spec.given([opened(), consented(), referred]).when(command('CloseCase', shelter)).thenThrows({ kind: 'forbidden' }));
  it('learns nothing of the case for an agency unrelated to it', () =>
    spec.given([opened()]).when(command('InterruptCase', police)).thenThrows({ kind: 'not_found' }));
});
