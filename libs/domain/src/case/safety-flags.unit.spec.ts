import { describe, it } from '@jest/globals';
import type { SafetyFlag } from '../../../consent-policy/index.js';
import type { CaseCommand } from '../commands.js';
import {
  closed,
  consented,
  flagLifted,
  flagRaised,
  opened,
  owner,
  police,
  referred,
  referredWithLocation,
  requestShelter,
  shelter,
  spec,
  step,
  t1,
  t2,
  withLocation,
} from './testing/fixtures.js';

describe('RaiseSafetyFlag', () => {
  const raise = (flag: SafetyFlag = 'location_must_not_be_shared', actor = owner): CaseCommand => ({
    type: 'RaiseSafetyFlag',
    actor,
    at: t2,
    flag,
  });
  it('raises a flag', () =>
    spec
      .given([opened()])
      .when(raise())
      .then([flagRaised('location_must_not_be_shared', t2)]));
  it('withdraws the open referrals that share what the flag withholds', () =>
    spec
      .given([opened(), consented({ provisions: [withLocation] }), referredWithLocation])
      .when(raise())
      .then([flagRaised('location_must_not_be_shared', t2), step('ReferralWithdrawn', owner.userId, t2, { cause: 'safety_flag_raised' })]));
  it('leaves the open referrals that share nothing the flag withholds', () =>
    spec
      .given([opened(), consented({ provisions: [withLocation] }), referred])
      .when(raise())
      .then([flagRaised('location_must_not_be_shared', t2)]));
  it('leaves finished referrals alone', () =>
    spec
      .given([
        opened(),
        consented({ provisions: [withLocation] }),
        referredWithLocation,
        step('ReferralDeclined', shelter.userId, t1, { reason: 'no_capacity' }),
      ])
      .when(raise())
      .then([flagRaised('location_must_not_be_shared', t2)]));
  it('is possible on a closed case: a flag only narrows', () =>
    spec
      .given([opened(), closed])
      .when(raise())
      .then([flagRaised('location_must_not_be_shared', t2)]));
  it('refuses a flag already raised', () =>
    spec
      .given([opened(), flagRaised('location_must_not_be_shared')])
      .when(raise())
      .thenThrows({ kind: 'conflict', message: 'safety flag location_must_not_be_shared is already raised' }));
  it('refuses an unknown flag', () =>
    spec
      .given([opened()])
      .when(raise('exploiter_nearby' as SafetyFlag))
      .thenThrows({ kind: 'invalid', message: 'unknown safety flag: exploiter_nearby' }));
  it('learns nothing of the case for an agency unrelated to it', () =>
    spec.given([opened()]).when(raise('no_phone_contact', police)).thenThrows({ kind: 'not_found' }));
  it('is for the owning agency only, not for a recipient', () =>
    spec.given([opened(), consented(), referred]).when(raise('no_phone_contact', shelter)).thenThrows({ kind: 'forbidden' }));
  it('makes later referrals leave out what it withholds, saying a flag withholds it', () =>
    spec
      .given([opened(), consented({ provisions: [withLocation] }), flagRaised('location_must_not_be_shared')])
      .when(requestShelter({ sharedCategories: ['identity', 'location'] }))
      .thenThrows({ kind: 'consent_required', message: 'a safety flag on the case withholds location from other agencies' }));
});

describe('LiftSafetyFlag', () => {
  const lift = (flag: SafetyFlag = 'location_must_not_be_shared', actor = owner): CaseCommand => ({
    type: 'LiftSafetyFlag',
    actor,
    at: t2,
    flag,
  });
  const raisedFlag = [opened(), consented({ provisions: [withLocation] }), flagRaised('location_must_not_be_shared')];
  it('lifts a raised flag', () =>
    spec
      .given(raisedFlag)
      .when(lift())
      .then([flagLifted('location_must_not_be_shared')]));
  it('lets consent cover again what the flag withheld', () =>
    spec
      .given([...raisedFlag, flagLifted('location_must_not_be_shared')])
      .when(requestShelter({ sharedCategories: ['identity', 'location'] }))
      .then([referredWithLocation]));
  it('refuses a flag never raised', () =>
    spec.given([opened()]).when(lift()).thenThrows({ kind: 'conflict', message: 'safety flag location_must_not_be_shared is not raised' }));
  it('refuses a flag already lifted', () =>
    spec
      .given([...raisedFlag, flagLifted('location_must_not_be_shared')])
      .when(lift())
      .thenThrows({ kind: 'conflict' }));
  it('is refused on a closed case', () =>
    spec
      .given([...raisedFlag, closed])
      .when(lift())
      .thenThrows({ kind: 'conflict' }));
  it('learns nothing of the case for an agency unrelated to it', () =>
    spec.given(raisedFlag).when(lift('location_must_not_be_shared', police)).thenThrows({ kind: 'not_found' }));
  it('is for the owning agency only, not for a recipient', () =>
    spec
      .given([...raisedFlag, referred])
      .when(lift('location_must_not_be_shared', shelter))
      .thenThrows({ kind: 'forbidden' }));
});
