import { describe, it } from '@jest/globals';
import type { Actor, CaseCommand } from '../commands.js';
import type { CaseEvent } from '../events.js';
import {
  consented,
  determined,
  expectContaining,
  interrupted,
  opened,
  owner,
  police,
  proposed,
  referralData,
  referred,
  sealed,
  shelter,
  shelterGrant,
  shelterProvision,
  spec,
  step,
  t1,
  t2,
  t3,
} from './testing/fixtures.js';

const system: Actor = { userId: 'system:consent-expiry', agencyId: owner.agencyId, agencyKind: owner.agencyKind };
const expire = (at = t3, actor = system): CaseCommand => ({ type: 'ExpireLapsedConsent', actor, at });
const beforeTheEnd = '2026-03-02T09:00:00.000Z';
const lapsing = consented({ provisions: [{ ...shelterProvision, validUntil: t2 }] });
const expired = (at = t3, by = system.userId) => step('ReferralWithdrawn', by, at, { cause: 'consent_expired' });
/** A consent given after the lapse, covering the same agency, purpose and categories again. */
const givenAgain = consented({
  consentId: 'c-2',
  givenAt: t3,
  provisions: [{ ...shelterProvision, provisionId: 'p-again', validFrom: t3 }],
});
const split = [
  { ...shelterProvision, categories: ['identity'] as const, validUntil: t2 },
  { ...shelterProvision, provisionId: 'p-safety', categories: ['safety'] as const },
];
const byLapsingDetermination: CaseEvent[] = [
  opened('child'),
  proposed({ scope: [{ ...shelterGrant, validUntil: t2 }] }),
  determined,
  {
    type: 'ReferralRequested',
    data: {
      ...referralData,
      legalBasis: [
        { category: 'identity', determinationId: 'd-1' },
        { category: 'safety', determinationId: 'd-1' },
      ],
    },
  },
];

describe('ExpireLapsedConsent', () => {
  it('withdraws an open referral whose provision ended, at the time it runs, for the expiry', () =>
    spec.given([opened(), lapsing, referred]).when(expire()).then([expired()]));
  it('decides nothing before the end', () => spec.given([opened(), lapsing, referred]).when(expire(beforeTheEnd)).thenNothingHappened());
  it('decides nothing when run again after the withdrawal', () =>
    spec.given([opened(), lapsing, referred, expired()]).when(expire('2026-03-04T10:00:00.000Z')).thenNothingHappened());
  it('withdraws an acknowledged referral alike', () =>
    spec
      .given([opened(), lapsing, referred, step('ReferralAcknowledged', shelter.userId, t1)])
      .when(expire())
      .then([expired()]));
  it('withdraws an accepted referral alike', () =>
    spec
      .given([opened(), lapsing, referred, step('ReferralAccepted', shelter.userId, t1)])
      .when(expire())
      .then([expired()]));
  it('withdraws a held referral alike', () =>
    spec
      .given([opened(), lapsing, referred, interrupted, step('ReferralPutOnHold', owner.userId, t1)])
      .when(expire())
      .then([expired()]));
  it('leaves a finished referral alone', () =>
    spec
      .given([
        opened(),
        lapsing,
        referred,
        step('ReferralAccepted', shelter.userId, t1),
        step('ReferralCompleted', shelter.userId, t1, { outcome: sealed }),
      ])
      .when(expire())
      .thenNothingHappened());
  it('leaves a referral that another live provision still covers', () =>
    spec
      .given([
        opened(),
        lapsing,
        consented({ consentId: 'c-2', provisions: [{ ...shelterProvision, provisionId: 'p-lasting' }] }),
        referred,
      ])
      .when(expire())
      .thenNothingHappened());
  it('withdraws the whole referral when one of its categories lapsed', () =>
    spec
      .given([opened(), consented({ provisions: split }), referred])
      .when(expire())
      .then([expired()]));
  it("leaves a child's referral alone before the best-interests determination it stood on ends", () =>
    spec.given(byLapsingDetermination).when(expire(beforeTheEnd)).thenNothingHappened());
  it("withdraws a child's referral at the end of the best-interests determination it stood on", () =>
    spec.given(byLapsingDetermination).when(expire()).then([expired()]));
  it('is not revived by a consent given after the lapse and before the process ran', () =>
    spec
      .given([opened(), lapsing, referred, givenAgain])
      .when(expire('2026-03-03T11:00:00.000Z'))
      .then([expired('2026-03-03T11:00:00.000Z')]));
  it('learns nothing of the case for an agency unrelated to it', () =>
    spec
      .given([opened(), lapsing, referred])
      .when(expire(t3, { ...system, agencyId: police.agencyId }))
      .thenThrows({ kind: 'not_found', message: 'case not found' }));
  it('acts for the owning agency only, not for a recipient', () =>
    spec
      .given([opened(), lapsing, referred])
      .when(expire(t3, { ...system, agencyId: shelter.agencyId }))
      .thenThrows({ kind: 'forbidden' }));
});

describe('a lapsed referral before the expiry process has run', () => {
  const respond = (type: 'AcknowledgeReferral' | 'AcceptReferral' | 'CompleteReferral' | 'DeclineReferral'): CaseCommand =>
    type === 'CompleteReferral'
      ? { type, actor: shelter, at: t3, referralId: 'r-1', outcome: sealed }
      : type === 'DeclineReferral'
        ? { type, actor: shelter, at: t3, referralId: 'r-1', reason: 'no_capacity' }
        : { type, actor: shelter, at: t3, referralId: 'r-1' };
  it.each(['AcknowledgeReferral', 'AcceptReferral', 'DeclineReferral'] as const)(
    "refuses the recipient's %s once the cover lapsed",
    (type) =>
      spec
        .given([opened(), lapsing, referred])
        .when(respond(type))
        .thenThrows({ kind: 'conflict', message: expectContaining('has lapsed') }),
  );
  it('refuses the completion of an accepted referral whose cover lapsed', () =>
    spec
      .given([opened(), lapsing, referred, step('ReferralAccepted', shelter.userId, t1)])
      .when(respond('CompleteReferral'))
      .thenThrows({ kind: 'conflict', message: 'the consent this referral was made under has lapsed; cannot complete it' }));
  it('still refuses them after a consent given again since the lapse', () =>
    spec.given([opened(), lapsing, referred, givenAgain]).when(respond('AcceptReferral')).thenThrows({ kind: 'conflict' }));
  it('lets the recipient answer while the cover stands', () =>
    spec
      .given([opened(), lapsing, referred])
      .when({ type: 'AcceptReferral', actor: shelter, at: beforeTheEnd, referralId: 'r-1' })
      .then([step('ReferralAccepted', shelter.userId, beforeTheEnd)]));
  it('records the expiry as the cause when the sender withdraws the referral', () =>
    spec
      .given([opened(), lapsing, referred])
      .when({ type: 'WithdrawReferral', actor: owner, at: t3, referralId: 'r-1' })
      .then([expired(t3, owner.userId)]));
  it('records the expiry as the cause when the sender closes the case', () =>
    spec
      .given([opened(), lapsing, referred])
      .when({ type: 'CloseCase', actor: owner, at: t3, reason: 'other' })
      .then([{ type: 'CaseClosed', data: { by: owner.userId, at: t3, reason: 'other' } }, expired(t3, owner.userId)]));
});
