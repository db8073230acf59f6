import { describe, expect, it } from '@jest/globals';
import type { Actor, CaseCommand } from '../commands.js';
import type { CaseEvent } from '../events.js';
import {
  closed,
  consented,
  expectContaining,
  interrupted,
  opened,
  owner,
  police,
  redCross,
  referred,
  requestShelter,
  sealed,
  shelter,
  shelterProvision,
  spec,
  step,
  t1,
  t2,
  t3,
  withdrawn,
} from './testing/fixtures.js';

describe('RequestReferral', () => {
  it('refers within consent and records the provisions relied on and the response deadline', () =>
    spec.given([opened(), consented()]).when(requestShelter()).then([referred]));
  it('is refused without consent, naming the categories not covered', () =>
    spec.given([opened()]).when(requestShelter()).thenThrows({
      kind: 'consent_required',
      message: 'no live consent covers sharing identity, safety with this agency for service_provision (shelter)',
    }));
  it('is refused when one shared category is outside consent', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ sharedCategories: ['identity', 'trafficking_experience'] }))
      .thenThrows({ kind: 'consent_required', message: expectContaining('trafficking_experience') }));
  it('is refused for another agency than the one consented to', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ recipient: { agencyId: 'a-other-shelter', agencyKind: 'shelter' } }))
      .thenThrows({ kind: 'consent_required' }));
  it('is refused for another service than the one consented to', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ serviceType: 'medical' }))
      .thenThrows({ kind: 'consent_required' }));
  it('is refused for another purpose than the one consented to', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ purpose: 'law_enforcement_report', serviceType: undefined }))
      .thenThrows({ kind: 'consent_required' }));
  it('is refused after the consent expired', () =>
    spec
      .given([opened(), consented({ provisions: [{ ...shelterProvision, validUntil: t1 }] })])
      .when(requestShelter())
      .thenThrows({ kind: 'consent_required' }));
  it('is refused after the consent was withdrawn', () =>
    spec
      .given([opened(), consented(), withdrawn(['p-shelter'], true)])
      .when(requestShelter({ at: t3 }))
      .thenThrows({ kind: 'consent_required' }));
  it("accepts a provision naming the recipient's kind of agency", () =>
    spec
      .given([opened(), consented({ provisions: [{ ...shelterProvision, recipient: { agencyKind: 'shelter' } }] })])
      .when(requestShelter())
      .then([referred]));
  it('is refused while the case is paused', () =>
    spec.given([opened(), consented(), interrupted]).when(requestShelter()).thenThrows({ kind: 'conflict' }));
  it('is refused while the case is closed', () =>
    spec.given([opened(), consented(), closed]).when(requestShelter()).thenThrows({ kind: 'conflict' }));
  it('is refused to another agency than the owner', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ actor: police }))
      .thenThrows({ kind: 'not_found' }));
  it('refuses an empty share', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ sharedCategories: [] }))
      .thenThrows({ kind: 'invalid' }));
  it('refuses a referral to the owning agency itself', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ recipient: { agencyId: owner.agencyId, agencyKind: 'shelter' } }))
      .thenThrows({ kind: 'invalid' }));
  it('refuses a repeated referral id', () =>
    spec.given([opened(), consented(), referred]).when(requestShelter()).thenThrows({ kind: 'conflict' }));
  it('never sends a law-enforcement report to or from the Red Cross', () =>
    spec
      .given([opened(), consented()])
      .when(
        requestShelter({
          purpose: 'law_enforcement_report',
          serviceType: undefined,
          recipient: { agencyId: redCross.agencyId, agencyKind: 'red_cross_red_crescent' },
        }),
      )
      .thenThrows({ kind: 'forbidden' }));
  it('keeps a Red Cross case from going to law enforcement for any purpose', () =>
    spec
      .given([opened('adult', { owningAgencyId: redCross.agencyId })])
      .when({
        type: 'RequestReferral',
        actor: redCross,
        at: t1,
        referralId: 'r-9',
        recipient: { agencyId: police.agencyId, agencyKind: 'law_enforcement' },
        purpose: 'service_provision',
        serviceType: 'personal_safety',
        urgency: 'high',
        sharedCategories: ['identity'],
      })
      .thenThrows({ kind: 'forbidden', message: 'Red Cross and Red Crescent members do not take part in judicial cooperation' }));
  it('records the directory service and area the referral goes to', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ directory: { serviceId: 's-1', area: 'Jere' } }))
      .then((events) => expect(events).toMatchObject([{ data: { serviceId: 's-1', area: 'Jere' } }])));
  it('refuses a recipient the directory says is full', () =>
    spec
      .given([opened(), consented()])
      .when(
        requestShelter({
          directory: { kind: 'full', serviceType: 'shelter', reason: "the agency's shelter service is full (no places available)" },
        }),
      )
      .thenThrows({ kind: 'conflict', message: "the agency's shelter service is full (no places available)" }));
  it('refuses a recipient the directory says does not offer the service', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ directory: { kind: 'not_offered', serviceType: 'shelter', reason: 'the agency does not offer shelter' } }))
      .thenThrows({ kind: 'invalid' }));
  it('checks who asks before what the directory says', () =>
    spec
      .given([opened(), consented()])
      .when(requestShelter({ actor: police, directory: { kind: 'full', serviceType: 'shelter', reason: 'full' } }))
      .thenThrows({ kind: 'not_found' }));
});

describe('re-referral after a decline', () => {
  const clinic: Actor = { userId: 'u-clinic', agencyId: 'a-other-shelter', agencyKind: 'shelter' };
  const toOtherShelter = consented({
    consentId: 'c-2',
    provisions: [{ ...shelterProvision, provisionId: 'p-other', recipient: { agencyKind: 'shelter' } }],
  });
  const declined = step('ReferralDeclined', shelter.userId, t2, { reason: 'no_capacity' });
  const reRefer = (over: Partial<Extract<CaseCommand, { type: 'RequestReferral' }>> = {}) =>
    requestShelter({
      referralId: 'r-2',
      at: t3,
      recipient: { agencyId: clinic.agencyId, agencyKind: 'shelter' },
      reReferralOf: 'r-1',
      ...over,
    });
  const given = [opened(), consented(), toOtherShelter, referred];
  const reReferred: CaseEvent = {
    type: 'ReferralRequested',
    data: {
      ...(referred.data as Extract<CaseEvent, { type: 'ReferralRequested' }>['data']),
      referralId: 'r-2',
      toAgencyId: clinic.agencyId,
      reReferralOf: 'r-1',
    },
  };
  it('sends the declined need to another agency, naming the referral it replaces', () =>
    spec
      .given([...given, declined])
      .when(reRefer())
      .then((events) =>
        expect(events).toMatchObject([
          { type: 'ReferralRequested', data: { referralId: 'r-2', toAgencyId: clinic.agencyId, reReferralOf: 'r-1' } },
        ]),
      ));
  it('is refused unless the referral was declined', () =>
    spec
      .given(given)
      .when(reRefer())
      .thenThrows({ kind: 'conflict', message: 'referral is requested; only a declined referral is re-referred' }));
  it('is refused to the agency that declined', () =>
    spec
      .given([...given, declined])
      .when(reRefer({ recipient: { agencyId: shelter.agencyId, agencyKind: 'shelter' } }))
      .thenThrows({ kind: 'invalid' }));
  it('is refused for another need', () =>
    spec
      .given([...given, declined])
      .when(reRefer({ serviceType: 'medical' }))
      .thenThrows({ kind: 'invalid' }));
  it('is refused for an unknown referral', () =>
    spec
      .given([...given, declined])
      .when(reRefer({ reReferralOf: 'r-9' }))
      .thenThrows({ kind: 'not_found' }));
  it('is refused a second time', () =>
    spec
      .given([...given, declined, reReferred])
      .when(reRefer({ referralId: 'r-3' }))
      .thenThrows({ kind: 'conflict', message: 'referral r-1 was already re-referred' }));
});

describe('referral responses', () => {
  const respond = (type: 'AcknowledgeReferral' | 'AcceptReferral' | 'CompleteReferral', actor = shelter): CaseCommand =>
    type === 'CompleteReferral' ? { type, actor, at: t2, referralId: 'r-1', outcome: sealed } : { type, actor, at: t2, referralId: 'r-1' };
  const decline = (actor = shelter): CaseCommand => ({ type: 'DeclineReferral', actor, at: t2, referralId: 'r-1', reason: 'no_capacity' });
  const given = [opened(), consented(), referred];
  const accepted = step('ReferralAccepted', shelter.userId);
  it('lets the receiving agency acknowledge', () =>
    spec
      .given(given)
      .when(respond('AcknowledgeReferral'))
      .then([step('ReferralAcknowledged', shelter.userId)]));
  it('lets the receiving agency accept', () => spec.given(given).when(respond('AcceptReferral')).then([accepted]));
  it('lets the receiving agency accept after acknowledging', () =>
    spec
      .given([...given, step('ReferralAcknowledged', shelter.userId)])
      .when(respond('AcceptReferral'))
      .then([accepted]));
  it('lets the receiving agency decline', () =>
    spec
      .given(given)
      .when(decline())
      .then([step('ReferralDeclined', shelter.userId, t2, { reason: 'no_capacity' })]));
  it('lets the receiving agency complete an accepted referral', () =>
    spec
      .given([...given, accepted])
      .when(respond('CompleteReferral'))
      .then([step('ReferralCompleted', shelter.userId, t2, { outcome: sealed })]));
  it('refuses to complete a referral not accepted', () =>
    spec
      .given(given)
      .when(respond('CompleteReferral'))
      .thenThrows({ kind: 'conflict', message: 'referral is requested; cannot complete it' }));
  it('refuses to decline an accepted referral', () =>
    spec
      .given([...given, accepted])
      .when(decline())
      .thenThrows({ kind: 'conflict' }));
  it('refuses to accept a declined referral', () =>
    spec
      .given([...given, step('ReferralDeclined', shelter.userId, t2, { reason: 'no_capacity' })])
      .when(respond('AcceptReferral'))
      .thenThrows({ kind: 'conflict' }));
  it('refuses the sender (403)', () => spec.given(given).when(respond('AcceptReferral', owner)).thenThrows({ kind: 'forbidden' }));
  it('refuses any other agency as if the case did not exist (404)', () =>
    spec.given(given).when(respond('AcceptReferral', police)).thenThrows({ kind: 'not_found', message: 'case not found' }));
  it('refuses an unknown referral', () =>
    spec.given(given).when({ type: 'AcceptReferral', actor: shelter, at: t2, referralId: 'r-9' }).thenThrows({ kind: 'not_found' }));
});

describe('WithdrawReferral', () => {
  const withdraw = (actor = owner): CaseCommand => ({ type: 'WithdrawReferral', actor, at: t2, referralId: 'r-1' });
  it('lets the sender withdraw an open referral', () =>
    spec
      .given([opened(), consented(), referred])
      .when(withdraw())
      .then([step('ReferralWithdrawn', owner.userId, t2, { cause: 'sender' })]));
  it('refuses a finished referral', () =>
    spec
      .given([opened(), consented(), referred, step('ReferralWithdrawn', owner.userId, t2, { cause: 'sender' })])
      .when(withdraw())
      .thenThrows({ kind: 'conflict' }));
  it('refuses the receiver', () => spec.given([opened(), consented(), referred]).when(withdraw(shelter)).thenThrows({ kind: 'forbidden' }));
  it('refuses strangers', () => spec.given([opened(), consented(), referred]).when(withdraw(police)).thenThrows({ kind: 'not_found' }));
});
