import { describe, expect, it } from '@jest/globals';
import type { Actor, CaseCommand } from '../commands.js';
import type { CaseEvent } from '../events.js';
import {
  caseId,
  consented,
  opened,
  owner,
  police,
  referralData,
  referred,
  referredWithLocation,
  requestShelter,
  sealed,
  shelter,
  spec,
  step,
  t0,
  t1,
  t2,
  t3,
  withLocation,
} from './testing/fixtures.js';

describe('OpenCase', () => {
  const command: CaseCommand = {
    type: 'OpenCase',
    actor: owner,
    at: t0,
    caseId,
    source: 'observation',
    indicators: ['work.forced_to_work', 'control.no_control_of_documents'],
    ageGroup: 'adult',
    personalData: { identity: sealed },
  };
  it("opens a case owned by the actor's agency", () => spec.given([]).when(command).then([opened()]));
  it('refuses a second opening', () => spec.given([opened()]).when(command).thenThrows({ kind: 'conflict' }));
  it('refuses unknown indicator codes, naming them', () =>
    spec
      .given([])
      .when({ ...command, indicators: ['work.forced_to_work', 'trafficker.name' as never] })
      .thenThrows({ kind: 'invalid', message: 'unknown indicator codes: trafficker.name' }));
  it('refuses repeated indicator codes', () =>
    spec
      .given([])
      .when({ ...command, indicators: ['work.forced_to_work', 'work.forced_to_work'] })
      .thenThrows({ kind: 'invalid' }));
});

describe('the case path: screening, identification, intake, case plan, safety', () => {
  const trained: Actor = { userId: 'u-interviewer', agencyId: 'a-trained-ngo', agencyKind: 'international_ngo' };
  const screened = (outcome: 'indicators_confirmed' | 'other_needs' = 'indicators_confirmed'): CaseEvent => ({
    type: 'ScreeningRecorded',
    data: { outcome, indicators: ['physical.untreated_injuries_or_illness'], by: owner.userId, at: t1 },
  });
  const interviewProvision = {
    provisionId: 'p-int',
    recipient: { agencyId: trained.agencyId },
    purpose: 'service_provision',
    serviceTypes: ['in_depth_interview'],
    categories: ['identity'],
    validFrom: t0,
  } as const;
  const interviewConsent = consented({ provisions: [interviewProvision] });
  const requestInterview = requestShelter({
    referralId: 'r-int',
    recipient: { agencyId: trained.agencyId, agencyKind: trained.agencyKind },
    serviceType: 'in_depth_interview',
    urgency: 'normal',
    sharedCategories: ['identity'],
  });
  const interviewReferred: CaseEvent = {
    type: 'ReferralRequested',
    data: {
      ...referralData,
      referralId: 'r-int',
      toAgencyId: trained.agencyId,
      toAgencyKind: trained.agencyKind,
      serviceType: 'in_depth_interview',
      urgency: 'normal',
      sharedCategories: ['identity'],
      legalBasis: [{ consentId: 'c-1', provisionId: 'p-int', category: 'identity' }],
      respondBy: '2026-03-08T10:00:00.000Z',
    },
  };
  const interviewAccepted: CaseEvent = { type: 'ReferralAccepted', data: { referralId: 'r-int', by: trained.userId, at: t2 } };
  const interviewed = [opened(), screened(), interviewConsent, interviewReferred, interviewAccepted];
  const recordInterview: CaseCommand = {
    type: 'RecordIdentification',
    actor: trained,
    at: t3,
    outcome: 'trafficked_person',
    referralId: 'r-int',
  };
  const intake: CaseEvent = { type: 'IntakeRecorded', data: { caseworkerId: 'u-caseworker-2', by: owner.userId, at: t1 } };
  const recordIntake: CaseCommand = { type: 'RecordIntake', actor: owner, at: t1, caseworkerId: 'u-caseworker-2', caseworkerIsStaff: true };
  const plan: CaseCommand = { type: 'RecordCasePlan', actor: owner, at: t2, servicesNeeded: ['shelter', 'medical'], plan: sealed };
  const assessed: CaseEvent = { type: 'SafetyAssessed', data: { riskLevel: 'high', plan: sealed, by: owner.userId, at: t2 } };
  const flagRaisedAt = (
    flag: 'no_phone_contact' | 'location_must_not_be_shared' | 'authorities_involved_in_trafficking',
    at: string,
  ): CaseEvent => ({ type: 'SafetyFlagRaised', data: { flag, by: owner.userId, at } });

  it('records a screening with further indicators', () =>
    spec
      .given([opened()])
      .when({
        type: 'RecordScreening',
        actor: owner,
        at: t1,
        outcome: 'indicators_confirmed',
        indicators: ['physical.untreated_injuries_or_illness'],
      })
      .then([screened()]));
  it('refuses a screening that repeats an indicator already recorded', () =>
    spec
      .given([opened()])
      .when({ type: 'RecordScreening', actor: owner, at: t1, outcome: 'other_needs', indicators: ['work.forced_to_work'] })
      .thenThrows({ kind: 'invalid' }));
  it('refuses a screening with an unknown indicator', () =>
    spec
      .given([opened()])
      .when({ type: 'RecordScreening', actor: owner, at: t1, outcome: 'other_needs', indicators: ['trafficker.location' as never] })
      .thenThrows({ kind: 'invalid', message: 'unknown indicator codes: trafficker.location' }));
  it('refers for an in-depth interview after a screening confirmed indicators', () =>
    spec.given([opened(), screened(), interviewConsent]).when(requestInterview).then([interviewReferred]));
  it('does not refer for an in-depth interview before a screening', () =>
    spec.given([opened(), interviewConsent]).when(requestInterview).thenThrows({ kind: 'conflict' }));
  it('does not refer for an in-depth interview after a screening that found other needs', () =>
    spec
      .given([opened(), screened('other_needs'), interviewConsent])
      .when(requestInterview)
      .thenThrows({ kind: 'conflict' }));
  it('lets the interviewing agency record the outcome once it accepted the referral', () =>
    spec
      .given(interviewed)
      .when(recordInterview)
      .then([
        {
          type: 'IdentificationRecorded',
          data: { outcome: 'trafficked_person', agencyId: trained.agencyId, referralId: 'r-int', by: trained.userId, at: t3 },
        },
      ]));
  it('does not let the interviewing agency record the outcome before it accepted the referral', () =>
    spec.given(interviewed.slice(0, -1)).when(recordInterview).thenThrows({ kind: 'conflict' }));
  it("does not take the outcome of another agency's interview", () =>
    spec
      .given(interviewed)
      .when({ ...recordInterview, actor: owner })
      .thenThrows({ kind: 'forbidden' }));
  it("does not take the interviewing agency's outcome without the referral named", () =>
    spec
      .given(interviewed)
      .when({ ...recordInterview, referralId: undefined })
      .thenThrows({ kind: 'forbidden' }));
  it('tells a stranger nothing of the case', () =>
    spec
      .given(interviewed)
      .when({ ...recordInterview, actor: police })
      .thenThrows({ kind: 'not_found' }));
  it('refuses the outcome of an accepted interview whose cover has lapsed since', () =>
    spec
      .given([
        opened(),
        screened(),
        consented({ provisions: [{ ...interviewProvision, validUntil: '2026-03-02T12:00:00.000Z' }] }),
        interviewReferred,
        interviewAccepted,
      ])
      .when(recordInterview)
      .thenThrows({ kind: 'conflict', message: "the consent the interview's referral was made under has lapsed" }));
  it('refuses the outcome of a completed interview on a closed case without saying the case is closed', () =>
    spec
      .given([
        ...interviewed,
        { type: 'ReferralCompleted', data: { referralId: 'r-int', by: trained.userId, at: t2, outcome: sealed } },
        { type: 'CaseClosed', data: { reason: 'services_completed', by: owner.userId, at: t2 } },
      ])
      .when(recordInterview)
      .thenThrows({ kind: 'conflict', message: "the case does not take the interview's outcome now" }));
  it("lets the owner's trained staff record an identification themselves", () =>
    spec
      .given([opened(), screened()])
      .when({ type: 'RecordIdentification', actor: owner, at: t2, outcome: 'inconclusive' })
      .then([{ type: 'IdentificationRecorded', data: { outcome: 'inconclusive', agencyId: owner.agencyId, by: owner.userId, at: t2 } }]));
  it('still allows referral for other needs when the person was found not trafficked', () => {
    const notTrafficked: CaseEvent = {
      type: 'IdentificationRecorded',
      data: { outcome: 'not_trafficked', agencyId: owner.agencyId, by: owner.userId, at: t1 },
    };
    spec
      .given([opened(), consented(), notTrafficked])
      .when(requestShelter({ at: t2 }))
      .then((events) => expect(events).toMatchObject([{ type: 'ReferralRequested', data: { serviceType: 'shelter' } }]));
  });
  it('records the intake with a caseworker', () => spec.given([opened()]).when(recordIntake).then([intake]));
  it('refuses an intake with the caseworker already managing the case', () =>
    spec.given([opened(), intake]).when(recordIntake).thenThrows({ kind: 'conflict' }));
  it('refuses a caseworker who is not active staff of the owning agency', () =>
    spec
      .given([opened()])
      .when({ ...recordIntake, caseworkerId: 'u-someone-else', caseworkerIsStaff: false })
      .thenThrows({ kind: 'invalid' }));
  it('records the intake for the owning agency only, not for a recipient', () =>
    spec
      .given([opened(), consented(), referred])
      .when({ ...recordIntake, actor: shelter, caseworkerId: 'x', caseworkerIsStaff: false })
      .thenThrows({ kind: 'forbidden' }));
  it('records a case plan after the intake', () =>
    spec
      .given([opened(), intake])
      .when(plan)
      .then([{ type: 'CasePlanRecorded', data: { servicesNeeded: ['shelter', 'medical'], plan: sealed, by: owner.userId, at: t2 } }]));
  it('refuses a case plan before the intake', () =>
    spec.given([opened()]).when(plan).thenThrows({ kind: 'conflict', message: 'a case plan follows the intake; record the intake first' }));
  it('refuses a case plan that repeats a service', () =>
    spec
      .given([opened(), intake])
      .when({ ...plan, servicesNeeded: ['shelter', 'shelter'] })
      .thenThrows({ kind: 'invalid' }));
  it('assesses safety, raising only the flags not raised yet', () =>
    spec
      .given([opened(), consented(), referred, flagRaisedAt('no_phone_contact', t1)])
      .when({
        type: 'AssessSafety',
        actor: owner,
        at: t2,
        riskLevel: 'high',
        plan: sealed,
        flags: ['no_phone_contact', 'location_must_not_be_shared'],
      })
      .then([assessed, flagRaisedAt('location_must_not_be_shared', t2)]));
  it('assesses safety, raising a flag that leaves referrals it does not touch', () =>
    spec
      .given([opened(), consented(), referred])
      .when({ type: 'AssessSafety', actor: owner, at: t2, riskLevel: 'high', plan: sealed, flags: ['authorities_involved_in_trafficking'] })
      .then([assessed, flagRaisedAt('authorities_involved_in_trafficking', t2)]));
  it('assesses safety, withdrawing in the same decision the referrals a new flag no longer lets stand', () =>
    spec
      .given([opened(), consented({ provisions: [withLocation] }), referredWithLocation])
      .when({ type: 'AssessSafety', actor: owner, at: t2, riskLevel: 'high', plan: sealed, flags: ['location_must_not_be_shared'] })
      .then([
        assessed,
        flagRaisedAt('location_must_not_be_shared', t2),
        step('ReferralWithdrawn', owner.userId, t2, { cause: 'safety_flag_raised' }),
      ]));
  it('refuses an unknown flag in an assessment', () =>
    spec
      .given([opened()])
      .when({ type: 'AssessSafety', actor: owner, at: t2, riskLevel: 'low', plan: sealed, flags: ['trafficker_known' as never] })
      .thenThrows({ kind: 'invalid' }));
});
