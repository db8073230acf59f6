import { describe, expect, it } from '@jest/globals';
import type { ConsentProvision, DisclosureGrant, SafetyFlag } from '../../consent-policy/index.js';
import { deciderSpecification } from '../../testing/index.js';
import type { Actor, CaseCommand, ProposeBestInterestsDetermination } from './commands.js';
import { caseDecider, consentSubjectOf, evolve, initialState, type CaseState, type ExistingCase } from './case-decider.js';
import type { BestInterestsDeterminationProposed, CaseEvent, ConsentGiven, ReferralRequested } from './events.js';

const spec = deciderSpecification<CaseCommand, CaseEvent, CaseState>(caseDecider);

const caseId = '7b4c1a52-0000-4000-8000-000000000001';
const owner: Actor = { userId: 'u-caseworker', agencyId: 'a-social-services', agencyKind: 'government_social_service' };
const shelter: Actor = { userId: 'u-shelter', agencyId: 'a-shelter', agencyKind: 'shelter' };
const police: Actor = { userId: 'u-police', agencyId: 'a-police', agencyKind: 'law_enforcement' };
const redCross: Actor = { userId: 'u-rc', agencyId: 'a-red-cross', agencyKind: 'red_cross_red_crescent' };
const t0 = '2026-03-01T09:00:00.000Z';
const t1 = '2026-03-01T10:00:00.000Z';
const t2 = '2026-03-02T10:00:00.000Z';
const t3 = '2026-03-03T10:00:00.000Z';
const sealed = { alg: 'A256GCM', v: 1, iv: 'aXY', ct: 'Y3Q', tag: 'dGFn' };

const opened = (ageGroup: 'adult' | 'child' | 'claims_to_be_child' = 'adult'): CaseEvent => ({
  type: 'CaseOpened',
  data: {
    caseId, owningAgencyId: owner.agencyId, openedBy: owner.userId, openedAt: t0, source: 'observation',
    indicators: ['work.forced_to_work', 'control.no_control_of_documents'], ageGroup, personalData: { identity: sealed },
  },
});

const shelterProvision: ConsentProvision = {
  provisionId: 'p-shelter', recipient: { agencyId: shelter.agencyId }, purpose: 'service_provision',
  serviceTypes: ['shelter'], categories: ['identity', 'safety'], validFrom: t0,
};
const lawEnforcement: ConsentProvision = {
  provisionId: 'p-le', recipient: { agencyId: police.agencyId }, purpose: 'law_enforcement_report', serviceTypes: [],
  categories: ['identity'], validFrom: t0,
};
const consentData: ConsentGiven['data'] = {
  consentId: 'c-1', grantor: 'person', method: 'verbal', language: 'ha', interpreterUsed: true, noticeVersion: 'n-2026-01',
  recordedBy: owner.userId, givenAt: t0, provisions: [shelterProvision],
};
const consented = (over: Partial<ConsentGiven['data']> = {}): CaseEvent => ({ type: 'ConsentGiven', data: { ...consentData, ...over } });

const referralData: ReferralRequested['data'] = {
  referralId: 'r-1', fromAgencyId: owner.agencyId, toAgencyId: shelter.agencyId, toAgencyKind: 'shelter',
  purpose: 'service_provision', serviceType: 'shelter', urgency: 'high', sharedCategories: ['identity', 'safety'],
  legalBasis: [
    { consentId: 'c-1', provisionId: 'p-shelter', category: 'identity' },
    { consentId: 'c-1', provisionId: 'p-shelter', category: 'safety' },
  ],
  requestedBy: owner.userId, requestedAt: t1, respondBy: '2026-03-04T10:00:00.000Z',
};
const referred: CaseEvent = { type: 'ReferralRequested', data: referralData };
const requestShelter = (over: Partial<Extract<CaseCommand, { type: 'RequestReferral' }>> = {}): CaseCommand => ({
  type: 'RequestReferral', actor: owner, at: t1, referralId: 'r-1', recipient: { agencyId: shelter.agencyId, agencyKind: 'shelter' },
  purpose: 'service_provision', serviceType: 'shelter', urgency: 'high', sharedCategories: ['identity', 'safety'], ...over,
});
const step = (type: CaseEvent['type'], by: string, at = t2, extra = {}) => ({ type, data: { referralId: 'r-1', by, at, ...extra } }) as CaseEvent;

describe('OpenCase', () => {
  const command: CaseCommand = {
    type: 'OpenCase', actor: owner, at: t0, caseId, source: 'observation',
    indicators: ['work.forced_to_work', 'control.no_control_of_documents'], ageGroup: 'adult', personalData: { identity: sealed },
  };
  it('opens a case owned by the actor\'s agency', () => spec.given([]).when(command).then([opened()]));
  it('refuses a second opening', () => spec.given([opened()]).when(command).thenThrows({ kind: 'conflict' }));
  it('refuses unknown indicator codes, naming them', () =>
    spec.given([]).when({ ...command, indicators: ['work.forced_to_work', 'trafficker.name' as never] })
      .thenThrows({ kind: 'invalid', message: 'unknown indicator codes: trafficker.name' }));
  it('refuses repeated indicator codes', () =>
    spec.given([]).when({ ...command, indicators: ['work.forced_to_work', 'work.forced_to_work'] }).thenThrows({ kind: 'invalid' }));
});

describe('GiveConsent', () => {
  const give = (over: Partial<Extract<CaseCommand, { type: 'GiveConsent' }>> = {}): CaseCommand => ({
    type: 'GiveConsent', actor: owner, at: t0, consentId: 'c-1', grantor: 'person', method: 'verbal', language: 'ha',
    interpreterUsed: true, noticeVersion: 'n-2026-01', provisions: [shelterProvision], ...over,
  });
  it('records the consent with who recorded it and when', () => spec.given([opened()]).when(give()).then([consented()]));
  it('is refused on a case that does not exist', () => spec.given([]).when(give()).thenThrows({ kind: 'not_found' }));
  it('is refused to an agency unrelated to the case, without saying the case exists', () =>
    spec.given([opened()]).when(give({ actor: police })).thenThrows({ kind: 'not_found', message: 'case not found' }));
  it('is refused on a closed case', () =>
    spec.given([opened(), { type: 'CaseClosed', data: { by: owner.userId, at: t1, reason: 'other' } }]).when(give()).thenThrows({ kind: 'conflict' }));
  it('is refused for a consent id already used', () => spec.given([opened(), consented()]).when(give()).thenThrows({ kind: 'conflict' }));
  it('needs a provision', () => spec.given([opened()]).when(give({ provisions: [] })).thenThrows({ kind: 'invalid' }));
  it('needs a category in every provision', () =>
    spec.given([opened()]).when(give({ provisions: [{ ...shelterProvision, categories: [] }] })).thenThrows({ kind: 'invalid' }));
  it('needs the agreed service types for service_provision', () =>
    spec.given([opened()]).when(give({ provisions: [{ ...shelterProvision, serviceTypes: [] }] })).thenThrows({ kind: 'invalid' }));
  it('refuses a provision that ends before it starts', () =>
    spec.given([opened()]).when(give({ provisions: [{ ...shelterProvision, validUntil: t0 }] }))
      .thenThrows({ kind: 'invalid', message: 'provision p-shelter ends before it starts' }));
  it.each(['2031-W01', '2031-200', '2031-01-01T00:00:00,5Z', '2031-01-01', '2031-02-30T00:00:00Z'])(
    'refuses a provision whose start %j is no RFC 3339 date-time, instead of taking it for now',
    (validFrom) => spec.given([opened()]).when(give({ provisions: [{ ...shelterProvision, validFrom }] }))
      .thenThrows({ kind: 'invalid', message: 'provision p-shelter starts at no RFC 3339 date-time' }),
  );
  it('refuses a provision whose end is no RFC 3339 date-time, instead of taking it for no end', () =>
    spec.given([opened()]).when(give({ provisions: [{ ...shelterProvision, validUntil: '2031-W01' }] }))
      .thenThrows({ kind: 'invalid', message: 'provision p-shelter ends at no RFC 3339 date-time' }));
  it('refuses provision ids used before in the case', () =>
    spec.given([opened(), consented()]).when(give({ consentId: 'c-2' })).thenThrows({ kind: 'invalid' }));
  it('for a child, needs a guardian\'s consent and the child\'s assent recorded', () => {
    spec.given([opened('child')]).when(give()).thenThrows({ kind: 'invalid' });
    spec.given([opened('claims_to_be_child')]).when(give({ grantor: 'guardian' })).thenThrows({ kind: 'invalid' });
    spec.given([opened('child')]).when(give({ grantor: 'guardian', childAssent: true }))
      .then([consented({ grantor: 'guardian', childAssent: true })]);
  });
  it('lets an adult agree explicitly to a law-enforcement report to a named agency', () =>
    spec.given([opened()]).when(give({ provisions: [lawEnforcement] })).then([consented({ provisions: [lawEnforcement] })]));
  it('refuses a law-enforcement report to a kind of agency: the policy could never use it', () =>
    spec.given([opened()]).when(give({ provisions: [{ ...lawEnforcement, recipient: { agencyKind: 'law_enforcement' } }] }))
      .thenThrows({ kind: 'invalid', message: 'provision p-le: data for law enforcement or prosecution goes to a named agency, not a kind of agency' }));
  it('refuses any provision for law enforcement or prosecution by kind, whatever its purpose', () => {
    spec.given([opened()]).when(give({ provisions: [{ ...shelterProvision, serviceTypes: ['personal_safety'], recipient: { agencyKind: 'law_enforcement' } }] }))
      .thenThrows({ kind: 'invalid' });
    spec.given([opened()]).when(give({ provisions: [{ ...shelterProvision, purpose: 'case_management', serviceTypes: [], recipient: { agencyKind: 'prosecution' } }] }))
      .thenThrows({ kind: 'invalid' });
  });
  it('never takes a law-enforcement consent for a child without a best-interests determination', () =>
    spec.given([opened('child')]).when(give({ grantor: 'guardian', childAssent: true, provisions: [lawEnforcement] }))
      .thenThrows({ kind: 'invalid' }));
  it('keeps Red Cross and Red Crescent members out of judicial cooperation', () =>
    spec.given([{ ...opened(), data: { ...(opened().data as object), owningAgencyId: redCross.agencyId } } as CaseEvent])
      .when(give({ actor: redCross, provisions: [lawEnforcement] })).thenThrows({ kind: 'forbidden' }));
});

describe('RequestReferral', () => {
  it('refers within consent and records the provisions relied on and the response deadline', () =>
    spec.given([opened(), consented()]).when(requestShelter()).then([referred]));
  it('is refused without consent, naming the categories not covered', () =>
    spec.given([opened()]).when(requestShelter())
      .thenThrows({ kind: 'consent_required', message: 'no live consent covers sharing identity, safety with this agency for service_provision (shelter)' }));
  it('is refused when one shared category is outside consent', () =>
    spec.given([opened(), consented()]).when(requestShelter({ sharedCategories: ['identity', 'trafficking_experience'] }))
      .thenThrows({ kind: 'consent_required', message: expectContaining('trafficking_experience') }));
  it('is refused for another agency than the one consented to', () =>
    spec.given([opened(), consented()]).when(requestShelter({ recipient: { agencyId: 'a-other-shelter', agencyKind: 'shelter' } }))
      .thenThrows({ kind: 'consent_required' }));
  it('is refused for another service than the one consented to', () =>
    spec.given([opened(), consented()]).when(requestShelter({ serviceType: 'medical' })).thenThrows({ kind: 'consent_required' }));
  it('is refused for another purpose than the one consented to', () =>
    spec.given([opened(), consented()]).when(requestShelter({ purpose: 'law_enforcement_report', serviceType: undefined }))
      .thenThrows({ kind: 'consent_required' }));
  it('is refused after the consent expired', () =>
    spec.given([opened(), consented({ provisions: [{ ...shelterProvision, validUntil: t1 }] })]).when(requestShelter())
      .thenThrows({ kind: 'consent_required' }));
  it('is refused after the consent was withdrawn', () =>
    spec.given([opened(), consented(), withdrawn(['p-shelter'], true)]).when(requestShelter({ at: t3 })).thenThrows({ kind: 'consent_required' }));
  it('accepts a provision naming the recipient\'s kind of agency', () =>
    spec.given([opened(), consented({ provisions: [{ ...shelterProvision, recipient: { agencyKind: 'shelter' } }] })])
      .when(requestShelter()).then([referred]));
  it('is refused while the case is paused or closed', () => {
    spec.given([opened(), consented(), interrupted]).when(requestShelter()).thenThrows({ kind: 'conflict' });
    spec.given([opened(), consented(), closed]).when(requestShelter()).thenThrows({ kind: 'conflict' });
  });
  it('is refused to another agency than the owner', () =>
    spec.given([opened(), consented()]).when(requestShelter({ actor: police })).thenThrows({ kind: 'not_found' }));
  it('refuses an empty share, a referral to itself and a repeated referral id', () => {
    spec.given([opened(), consented()]).when(requestShelter({ sharedCategories: [] })).thenThrows({ kind: 'invalid' });
    spec.given([opened(), consented()]).when(requestShelter({ recipient: { agencyId: owner.agencyId, agencyKind: 'shelter' } }))
      .thenThrows({ kind: 'invalid' });
    spec.given([opened(), consented(), referred]).when(requestShelter()).thenThrows({ kind: 'conflict' });
  });
  it('never sends a law-enforcement report to or from the Red Cross', () =>
    spec.given([opened(), consented()])
      .when(requestShelter({ purpose: 'law_enforcement_report', serviceType: undefined, recipient: { agencyId: redCross.agencyId, agencyKind: 'red_cross_red_crescent' } }))
      .thenThrows({ kind: 'forbidden' }));
});

function expectContaining(text: string) {
  return expect.stringContaining(text) as unknown as string;
}

const withdrawn = (provisionIds: string[], whole: boolean, consentId = 'c-1'): CaseEvent => ({
  type: 'ConsentWithdrawn', data: { consentId, provisionIds, whole, recordedBy: owner.userId, withdrawnAt: t2 },
});
const interrupted: CaseEvent = { type: 'CaseInterrupted', data: { by: owner.userId, at: t2, reason: 'lost_contact' } };
const closed: CaseEvent = { type: 'CaseClosed', data: { by: owner.userId, at: t2, reason: 'other' } };

describe('WithdrawConsent', () => {
  const withdraw = (over: Partial<Extract<CaseCommand, { type: 'WithdrawConsent' }>> = {}): CaseCommand => ({
    type: 'WithdrawConsent', actor: owner, at: t2, consentId: 'c-1', ...over,
  });
  const medical: ConsentProvision = { ...shelterProvision, provisionId: 'p-medical', serviceTypes: ['medical'], categories: ['health'] };
  it('withdraws the whole consent and the open referrals that relied on it', () =>
    spec.given([opened(), consented(), referred]).when(withdraw())
      .then([withdrawn(['p-shelter'], true), step('ReferralWithdrawn', owner.userId, t2, { cause: 'consent_withdrawn' })]));
  it('withdraws some provisions and only the referrals they covered', () =>
    spec.given([opened(), consented({ provisions: [shelterProvision, medical] }), referred]).when(withdraw({ provisionIds: ['p-medical'] }))
      .then([withdrawn(['p-medical'], false)]));
  it('keeps a referral another live consent still covers', () =>
    spec.given([opened(), consented(), consented({ consentId: 'c-2', provisions: [{ ...shelterProvision, provisionId: 'p-shelter-2' }] }), referred])
      .when(withdraw()).then([withdrawn(['p-shelter'], true)]));
  it('leaves finished referrals alone', () =>
    spec.given([opened(), consented(), referred, step('ReferralDeclined', shelter.userId, t1, { reason: 'no_capacity' })])
      .when(withdraw()).then([withdrawn(['p-shelter'], true)]));
  it('is possible on a closed case: the person can change their mind at any time', () =>
    spec.given([opened(), consented(), closed]).when(withdraw()).then([withdrawn(['p-shelter'], true)]));
  it('refuses unknown consents and provisions, and a second withdrawal', () => {
    spec.given([opened(), consented()]).when(withdraw({ consentId: 'c-9' })).thenThrows({ kind: 'not_found' });
    spec.given([opened(), consented()]).when(withdraw({ provisionIds: ['p-9'] })).thenThrows({ kind: 'not_found' });
    spec.given([opened(), consented(), withdrawn(['p-shelter'], true)]).when(withdraw()).thenThrows({ kind: 'conflict' });
    spec.given([opened(), consented(), withdrawn(['p-shelter'], true)]).when(withdraw({ provisionIds: ['p-shelter'] })).thenThrows({ kind: 'conflict' });
  });
  it('is refused to the receiving agency', () =>
    spec.given([opened(), consented(), referred]).when(withdraw({ actor: shelter })).thenThrows({ kind: 'forbidden' }));
});

describe('referral responses', () => {
  const respond = (type: 'AcknowledgeReferral' | 'AcceptReferral' | 'CompleteReferral', actor = shelter): CaseCommand =>
    type === 'CompleteReferral' ? { type, actor, at: t2, referralId: 'r-1', outcome: sealed } : { type, actor, at: t2, referralId: 'r-1' };
  const decline = (actor = shelter): CaseCommand => ({ type: 'DeclineReferral', actor, at: t2, referralId: 'r-1', reason: 'no_capacity' });
  const given = [opened(), consented(), referred];
  it('lets the receiving agency acknowledge, accept, decline and complete', () => {
    spec.given(given).when(respond('AcknowledgeReferral')).then([step('ReferralAcknowledged', shelter.userId)]);
    spec.given(given).when(respond('AcceptReferral')).then([step('ReferralAccepted', shelter.userId)]);
    spec.given([...given, step('ReferralAcknowledged', shelter.userId)]).when(respond('AcceptReferral')).then([step('ReferralAccepted', shelter.userId)]);
    spec.given(given).when(decline()).then([step('ReferralDeclined', shelter.userId, t2, { reason: 'no_capacity' })]);
    spec.given([...given, step('ReferralAccepted', shelter.userId)]).when(respond('CompleteReferral'))
      .then([step('ReferralCompleted', shelter.userId, t2, { outcome: sealed })]);
  });
  it('refuses transitions from the wrong state', () => {
    spec.given(given).when(respond('CompleteReferral')).thenThrows({ kind: 'conflict', message: 'referral is requested; cannot complete it' });
    spec.given([...given, step('ReferralAccepted', shelter.userId)]).when(decline()).thenThrows({ kind: 'conflict' });
    spec.given([...given, step('ReferralDeclined', shelter.userId, t2, { reason: 'no_capacity' })]).when(respond('AcceptReferral')).thenThrows({ kind: 'conflict' });
  });
  it('refuses the sender (403) and any other agency (404)', () => {
    spec.given(given).when(respond('AcceptReferral', owner)).thenThrows({ kind: 'forbidden' });
    spec.given(given).when(respond('AcceptReferral', police)).thenThrows({ kind: 'not_found', message: 'case not found' }); // as if the case did not exist
    spec.given(given).when({ type: 'AcceptReferral', actor: shelter, at: t2, referralId: 'r-9' }).thenThrows({ kind: 'not_found' });
  });
});

describe('WithdrawReferral', () => {
  const withdraw = (actor = owner): CaseCommand => ({ type: 'WithdrawReferral', actor, at: t2, referralId: 'r-1' });
  it('lets the sender withdraw an open referral', () =>
    spec.given([opened(), consented(), referred]).when(withdraw()).then([step('ReferralWithdrawn', owner.userId, t2, { cause: 'sender' })]));
  it('refuses a finished referral, the receiver and strangers', () => {
    spec.given([opened(), consented(), referred, step('ReferralWithdrawn', owner.userId, t2, { cause: 'sender' })]).when(withdraw()).thenThrows({ kind: 'conflict' });
    spec.given([opened(), consented(), referred]).when(withdraw(shelter)).thenThrows({ kind: 'forbidden' });
    spec.given([opened(), consented(), referred]).when(withdraw(police)).thenThrows({ kind: 'not_found' });
  });
});

describe('interruption, resumption, closure, reopening', () => {
  const command = (type: 'InterruptCase' | 'ResumeCase' | 'CloseCase' | 'ReopenCase', actor = owner): CaseCommand =>
    type === 'InterruptCase' ? { type, actor, at: t2, reason: 'lost_contact' }
      : type === 'CloseCase' ? { type, actor, at: t2, reason: 'other' } : { type, actor, at: t2 };
  const resumed: CaseEvent = { type: 'CaseResumed', data: { by: owner.userId, at: t2 } };
  const reopened: CaseEvent = { type: 'CaseReopened', data: { by: owner.userId, at: t2 } };
  const held = step('ReferralPutOnHold', owner.userId);
  it('pauses an open case and puts its open referrals on hold, not lost', () => {
    spec.given([opened(), consented(), referred]).when(command('InterruptCase')).then([interrupted, held]);
    // A referral already answered for good is not held.
    spec.given([opened(), consented(), referred, step('ReferralDeclined', shelter.userId, t1, { reason: 'no_capacity' })])
      .when(command('InterruptCase')).then([interrupted]);
  });
  it('resumes a paused case', () => spec.given([opened(), interrupted]).when(command('ResumeCase')).then([resumed]));
  it('on resumption, gives a held referral awaiting its answer the time it had left', () => {
    // Requested at t1 with 72 h to answer; held at t2 (24 h later, 48 h left); resumed ten days later.
    const resumedAt = '2026-03-12T10:00:00.000Z';
    spec.given([opened(), consented(), referred, interrupted, held]).when({ type: 'ResumeCase', actor: owner, at: resumedAt })
      .then([{ type: 'CaseResumed', data: { by: owner.userId, at: resumedAt } }, step('ReferralResumed', owner.userId, resumedAt, { respondBy: '2026-03-14T10:00:00.000Z' })]);
    // An accepted referral keeps its deadline: it was met.
    spec.given([opened(), consented(), referred, step('ReferralAccepted', shelter.userId, t1), interrupted, held]).when({ type: 'ResumeCase', actor: owner, at: resumedAt })
      .then([{ type: 'CaseResumed', data: { by: owner.userId, at: resumedAt } }, step('ReferralResumed', owner.userId, resumedAt, { respondBy: referralData.respondBy })]);
  });
  it('lets the recipient acknowledge or decline a held referral, not accept or complete it', () => {
    const given = [opened(), consented(), referred, interrupted, held];
    spec.given(given).when({ type: 'AcknowledgeReferral', actor: shelter, at: t3, referralId: 'r-1' }).then([step('ReferralAcknowledged', shelter.userId, t3)]);
    spec.given(given).when({ type: 'DeclineReferral', actor: shelter, at: t3, referralId: 'r-1', reason: 'no_capacity' })
      .then([step('ReferralDeclined', shelter.userId, t3, { reason: 'no_capacity' })]);
    spec.given(given).when({ type: 'AcceptReferral', actor: shelter, at: t3, referralId: 'r-1' })
      .thenThrows({ kind: 'conflict', message: 'referral is on hold; cannot accept it' });
    spec.given([opened(), consented(), referred, step('ReferralAccepted', shelter.userId, t1), interrupted, held])
      .when({ type: 'CompleteReferral', actor: shelter, at: t3, referralId: 'r-1', outcome: sealed }).thenThrows({ kind: 'conflict' });
    // Once the case resumes, the hold is gone.
    spec.given([...given, resumed, step('ReferralResumed', owner.userId, t2, { respondBy: t3 })])
      .when({ type: 'AcceptReferral', actor: shelter, at: t3, referralId: 'r-1' }).then([step('ReferralAccepted', shelter.userId, t3)]);
  });
  it('releases a held referral that is declined, so resumption leaves it alone', () =>
    spec.given([opened(), consented(), referred, interrupted, held, step('ReferralDeclined', shelter.userId, t3, { reason: 'person_unreachable' })])
      .when({ type: 'ResumeCase', actor: owner, at: t3 }).then([{ type: 'CaseResumed', data: { by: owner.userId, at: t3 } }]));
  it('withdraws held referrals when a paused case is closed', () =>
    spec.given([opened(), consented(), referred, interrupted, held]).when(command('CloseCase'))
      .then([closed, step('ReferralWithdrawn', owner.userId, t2, { cause: 'case_closed' })]));
  it('closes an open or paused case, withdrawing its open referrals', () => {
    spec.given([opened(), consented(), referred]).when(command('CloseCase'))
      .then([closed, step('ReferralWithdrawn', owner.userId, t2, { cause: 'case_closed' })]);
    spec.given([opened(), interrupted]).when(command('CloseCase')).then([closed]);
  });
  it('reopens a closed case', () => spec.given([opened(), closed]).when(command('ReopenCase')).then([reopened]));
  it('refuses changes from the wrong status', () => {
    spec.given([opened()]).when(command('ResumeCase')).thenThrows({ kind: 'conflict', message: 'case is open; cannot resume it' });
    spec.given([opened(), interrupted]).when(command('InterruptCase')).thenThrows({ kind: 'conflict' });
    spec.given([opened(), closed]).when(command('CloseCase')).thenThrows({ kind: 'conflict' });
    spec.given([opened(), closed]).when(command('InterruptCase')).thenThrows({ kind: 'conflict' });
    spec.given([opened()]).when(command('ReopenCase')).thenThrows({ kind: 'conflict' });
  });
  it('is for the owning agency only', () => {
    spec.given([opened(), consented(), referred]).when(command('CloseCase', shelter)).thenThrows({ kind: 'forbidden' });
    spec.given([opened()]).when(command('InterruptCase', police)).thenThrows({ kind: 'not_found' });
  });
});

const supervisor: Actor = { ...owner, userId: 'u-supervisor' };
const { provisionId: _unused, ...shelterGrant } = shelterProvision;
const scope: DisclosureGrant[] = [{ ...shelterGrant, validUntil: '2026-09-01T00:00:00.000Z' }];
const proposed = (over: Partial<BestInterestsDeterminationProposed['data']> = {}): CaseEvent => ({
  type: 'BestInterestsDeterminationProposed', data: { determinationId: 'd-1', scope, reasons: sealed, by: owner.userId, at: t1, ...over },
});
const determined: CaseEvent = { type: 'BestInterestsDetermined', data: { determinationId: 'd-1', by: supervisor.userId, at: t1, decidedBy: owner.userId } };
const rejectedDetermination: CaseEvent = { type: 'BestInterestsDeterminationRejected', data: { determinationId: 'd-1', by: supervisor.userId, at: t1 } };
const guardianConsented = (over: Partial<ConsentGiven['data']> = {}) => consented({ grantor: 'guardian', childAssent: true, ...over });
const flagRaised = (flag: SafetyFlag, at = t1): CaseEvent => ({ type: 'SafetyFlagRaised', data: { flag, by: owner.userId, at } });
const flagLifted = (flag: SafetyFlag, at = t2): CaseEvent => ({ type: 'SafetyFlagLifted', data: { flag, by: owner.userId, at } });

describe('ProposeBestInterestsDetermination', () => {
  const propose = (over: Partial<ProposeBestInterestsDetermination> = {}): CaseCommand => ({
    type: 'ProposeBestInterestsDetermination', actor: owner, at: t1, determinationId: 'd-1', scope, reasons: sealed, ...over,
  });
  it('records the proposal for a child, and for a person who says they are one', () => {
    spec.given([opened('child')]).when(propose()).then([proposed()]);
    spec.given([opened('claims_to_be_child')]).when(propose()).then([proposed()]);
  });
  it('is refused for an adult, who decides by consent', () =>
    spec.given([opened()]).when(propose()).thenThrows({ kind: 'invalid', message: 'a best-interests determination is for a child; an adult decides by consent' }));
  it('is for the owning agency only', () => {
    spec.given([opened('child')]).when(propose({ actor: police })).thenThrows({ kind: 'not_found', message: 'case not found' });
    spec.given([opened('child'), guardianConsented(), referred]).when(propose({ actor: shelter })).thenThrows({ kind: 'forbidden' });
  });
  it('is refused on a closed case and for an id already used', () => {
    spec.given([opened('child'), closed]).when(propose()).thenThrows({ kind: 'conflict' });
    spec.given([opened('child'), proposed()]).when(propose()).thenThrows({ kind: 'conflict', message: 'determination d-1 already exists' });
  });
  it('needs a scope whose entries obey the rules of consent provisions', () => {
    spec.given([opened('child')]).when(propose({ scope: [] })).thenThrows({ kind: 'invalid' });
    spec.given([opened('child')]).when(propose({ scope: [{ ...scope[0]!, categories: [] }] }))
      .thenThrows({ kind: 'invalid', message: 'scope entry 1 names no data category' });
    spec.given([opened('child')]).when(propose({ scope: [{ ...scope[0]!, serviceTypes: [] }] })).thenThrows({ kind: 'invalid' });
  });
  it('needs an end to every scope entry', () =>
    spec.given([opened('child')]).when(propose({ scope: [shelterGrant] }))
      .thenThrows({ kind: 'invalid', message: 'scope entry 1 needs an end: a decision made for a child is reviewed, never open-ended' }));
  it('may cover a report to a named law-enforcement agency, never to a kind of agency', () => {
    const { provisionId: _le, ...report } = { ...lawEnforcement, validUntil: t3 };
    spec.given([opened('child')]).when(propose({ scope: [report] })).then([proposed({ scope: [report] })]);
    spec.given([opened('child')]).when(propose({ scope: [{ ...report, recipient: { agencyKind: 'law_enforcement' } }] })).thenThrows({ kind: 'invalid' });
  });
});

describe('ApproveBestInterestsDetermination and RejectBestInterestsDetermination', () => {
  const decideOn = (type: 'ApproveBestInterestsDetermination' | 'RejectBestInterestsDetermination', actor = supervisor, determinationId = 'd-1'): CaseCommand =>
    ({ type, actor, at: t1, determinationId });
  const given = [opened('child'), proposed()];
  it('records the approval by a second person, with who decided', () =>
    spec.given(given).when(decideOn('ApproveBestInterestsDetermination')).then([determined]));
  it('refuses approval by the person who proposed it', () =>
    spec.given(given).when(decideOn('ApproveBestInterestsDetermination', owner)).thenThrows({ kind: 'forbidden' }));
  it('records a rejection by a second person', () =>
    spec.given(given).when(decideOn('RejectBestInterestsDetermination')).then([rejectedDetermination]));
  it('refuses rejection by the person who proposed it, as it refuses approval', () =>
    spec.given(given).when(decideOn('RejectBestInterestsDetermination', owner))
      .thenThrows({ kind: 'forbidden', message: 'a best-interests determination is approved or rejected by someone other than the person who proposed it' }));
  it('refuses an unknown determination', () => {
    spec.given(given).when(decideOn('ApproveBestInterestsDetermination', supervisor, 'd-9')).thenThrows({ kind: 'not_found', message: 'determination d-9 not found' });
    spec.given(given).when(decideOn('RejectBestInterestsDetermination', supervisor, 'd-9')).thenThrows({ kind: 'not_found' });
  });
  it('decides only once', () => {
    spec.given([...given, determined]).when(decideOn('ApproveBestInterestsDetermination')).thenThrows({ kind: 'conflict', message: 'determination d-1 is already approved' });
    spec.given([...given, determined]).when(decideOn('RejectBestInterestsDetermination')).thenThrows({ kind: 'conflict' });
    spec.given([...given, rejectedDetermination]).when(decideOn('ApproveBestInterestsDetermination')).thenThrows({ kind: 'conflict', message: 'determination d-1 is already rejected' });
  });
  it('is for the owning agency only, on a case not closed', () => {
    spec.given(given).when(decideOn('ApproveBestInterestsDetermination', police)).thenThrows({ kind: 'not_found', message: 'case not found' });
    spec.given([...given, determined, referred]).when(decideOn('RejectBestInterestsDetermination', shelter)).thenThrows({ kind: 'forbidden' });
    spec.given([...given, closed]).when(decideOn('ApproveBestInterestsDetermination')).thenThrows({ kind: 'conflict' });
  });
});

describe('RequestReferral for a child', () => {
  const byDetermination = (categories = ['identity', 'safety'] as const): CaseEvent => ({
    type: 'ReferralRequested', data: { ...referralData, legalBasis: categories.map((category) => ({ category, determinationId: 'd-1' })) },
  });
  it('relies on a guardian\'s consent given with the child\'s assent', () =>
    spec.given([opened('child'), guardianConsented()]).when(requestShelter()).then([referred]));
  it('is refused when the child did not assent', () =>
    spec.given([opened('child'), guardianConsented({ childAssent: false })]).when(requestShelter()).thenThrows({
      kind: 'consent_required',
      message: 'no live consent or approved best-interests determination covers sharing identity, safety with this agency for service_provision (shelter)',
    }));
  it('relies on an approved best-interests determination instead', () =>
    spec.given([opened('child'), proposed(), determined]).when(requestShelter()).then([byDetermination()]));
  it('is refused on a determination only proposed or rejected', () => {
    spec.given([opened('child'), proposed()]).when(requestShelter()).thenThrows({ kind: 'consent_required' });
    spec.given([opened('child'), proposed(), rejectedDetermination]).when(requestShelter()).thenThrows({ kind: 'consent_required' });
  });
  it('reports to a named law-enforcement agency only through a determination', () => {
    const { provisionId: _le, ...report } = { ...lawEnforcement, validUntil: t3 };
    const toPolice = requestShelter({ recipient: { agencyId: police.agencyId, agencyKind: 'law_enforcement' }, purpose: 'law_enforcement_report', serviceType: undefined, sharedCategories: ['identity'] });
    spec.given([opened('child'), proposed({ scope: [report] }), determined]).when(toPolice).then([{
      type: 'ReferralRequested',
      data: {
        ...referralData, toAgencyId: police.agencyId, toAgencyKind: 'law_enforcement', purpose: 'law_enforcement_report', serviceType: undefined,
        sharedCategories: ['identity'], legalBasis: [{ category: 'identity', determinationId: 'd-1' }],
      },
    }]);
    spec.given([opened('child'), guardianConsented({ provisions: [lawEnforcement] })]).when(toPolice).thenThrows({ kind: 'consent_required' });
  });
  it('no longer relies on the guardian while the family may be involved, but a determination still permits', () => {
    spec.given([opened('child'), guardianConsented(), flagRaised('family_involved_in_trafficking')]).when(requestShelter()).thenThrows({ kind: 'consent_required' });
    spec.given([opened('child'), guardianConsented(), flagRaised('family_involved_in_trafficking'), proposed(), determined]).when(requestShelter()).then([byDetermination()]);
  });
});

const withLocation: ConsentProvision = { ...shelterProvision, categories: ['identity', 'safety', 'location'] };
const referredWithLocation: CaseEvent = {
  type: 'ReferralRequested',
  data: {
    ...referralData, sharedCategories: ['identity', 'location'],
    legalBasis: [{ consentId: 'c-1', provisionId: 'p-shelter', category: 'identity' }, { consentId: 'c-1', provisionId: 'p-shelter', category: 'location' }],
  },
};

describe('RaiseSafetyFlag', () => {
  const raise = (flag: SafetyFlag = 'location_must_not_be_shared', actor = owner): CaseCommand => ({ type: 'RaiseSafetyFlag', actor, at: t2, flag });
  it('raises a flag', () => spec.given([opened()]).when(raise()).then([flagRaised('location_must_not_be_shared', t2)]));
  it('withdraws the open referrals that share what the flag withholds, and only those', () => {
    spec.given([opened(), consented({ provisions: [withLocation] }), referredWithLocation]).when(raise())
      .then([flagRaised('location_must_not_be_shared', t2), step('ReferralWithdrawn', owner.userId, t2, { cause: 'safety_flag_raised' })]);
    spec.given([opened(), consented({ provisions: [withLocation] }), referred]).when(raise()).then([flagRaised('location_must_not_be_shared', t2)]);
  });
  it('leaves finished referrals alone', () =>
    spec.given([opened(), consented({ provisions: [withLocation] }), referredWithLocation, step('ReferralDeclined', shelter.userId, t1, { reason: 'no_capacity' })])
      .when(raise()).then([flagRaised('location_must_not_be_shared', t2)]));
  it('is possible on a closed case: a flag only narrows', () =>
    spec.given([opened(), closed]).when(raise()).then([flagRaised('location_must_not_be_shared', t2)]));
  it('refuses a flag already raised and an unknown flag', () => {
    spec.given([opened(), flagRaised('location_must_not_be_shared')]).when(raise())
      .thenThrows({ kind: 'conflict', message: 'safety flag location_must_not_be_shared is already raised' });
    spec.given([opened()]).when(raise('exploiter_nearby' as SafetyFlag)).thenThrows({ kind: 'invalid', message: 'unknown safety flag: exploiter_nearby' });
  });
  it('is for the owning agency only', () => {
    spec.given([opened()]).when(raise('no_phone_contact', police)).thenThrows({ kind: 'not_found' });
    spec.given([opened(), consented(), referred]).when(raise('no_phone_contact', shelter)).thenThrows({ kind: 'forbidden' });
  });
  it('makes later referrals leave out what it withholds, saying a flag withholds it', () =>
    spec.given([opened(), consented({ provisions: [withLocation] }), flagRaised('location_must_not_be_shared')])
      .when(requestShelter({ sharedCategories: ['identity', 'location'] }))
      .thenThrows({ kind: 'consent_required', message: 'a safety flag on the case withholds location from other agencies' }));
});

describe('LiftSafetyFlag', () => {
  const lift = (flag: SafetyFlag = 'location_must_not_be_shared', actor = owner): CaseCommand => ({ type: 'LiftSafetyFlag', actor, at: t2, flag });
  const raisedFlag = [opened(), consented({ provisions: [withLocation] }), flagRaised('location_must_not_be_shared')];
  it('lifts a raised flag', () => spec.given(raisedFlag).when(lift()).then([flagLifted('location_must_not_be_shared')]));
  it('lets consent cover again what the flag withheld', () =>
    spec.given([...raisedFlag, flagLifted('location_must_not_be_shared')]).when(requestShelter({ sharedCategories: ['identity', 'location'] }))
      .then([referredWithLocation]));
  it('refuses a flag that is not raised', () => {
    spec.given([opened()]).when(lift()).thenThrows({ kind: 'conflict', message: 'safety flag location_must_not_be_shared is not raised' });
    spec.given([...raisedFlag, flagLifted('location_must_not_be_shared')]).when(lift()).thenThrows({ kind: 'conflict' });
  });
  it('is refused on a closed case', () => spec.given([...raisedFlag, closed]).when(lift()).thenThrows({ kind: 'conflict' }));
  it('is for the owning agency only', () => {
    spec.given(raisedFlag).when(lift('location_must_not_be_shared', police)).thenThrows({ kind: 'not_found' });
    spec.given([...raisedFlag, referred]).when(lift('location_must_not_be_shared', shelter)).thenThrows({ kind: 'forbidden' });
  });
});

describe('withdrawals triggered by a decision', () => {
  it('leave no open referral on less than full cover, and blame each on what really ended it', () => {
    const medical: ConsentProvision = { ...shelterProvision, provisionId: 'p-medical', serviceTypes: ['medical'], categories: ['health'] };
    // The shelter referral had lapsed by expiry before the unrelated withdrawal: withdrawn now, for its expiry.
    spec.given([opened(), consented({ provisions: [{ ...shelterProvision, validUntil: t2 }] }), consented({ consentId: 'c-2', provisions: [medical] }), referred])
      .when({ type: 'WithdrawConsent', actor: owner, at: t3, consentId: 'c-2' })
      .then([
        { type: 'ConsentWithdrawn', data: { consentId: 'c-2', provisionIds: ['p-medical'], whole: true, recordedBy: owner.userId, withdrawnAt: t3 } },
        { type: 'ReferralWithdrawn', data: { referralId: 'r-1', by: owner.userId, at: t3, cause: 'consent_expired' } },
      ]);
  });

  it('withdraw a referral whose one category expired when the consent for the other is withdrawn', () => {
    const split = [{ ...shelterProvision, categories: ['identity'] as const, validUntil: t2 }, { ...shelterProvision, provisionId: 'p-safety', categories: ['safety'] as const }];
    spec.given([opened(), consented({ provisions: split }), referred])
      .when({ type: 'WithdrawConsent', actor: owner, at: t3, consentId: 'c-1' })
      .then([
        { type: 'ConsentWithdrawn', data: { consentId: 'c-1', provisionIds: ['p-shelter', 'p-safety'], whole: true, recordedBy: owner.userId, withdrawnAt: t3 } },
        { type: 'ReferralWithdrawn', data: { referralId: 'r-1', by: owner.userId, at: t3, cause: 'consent_expired' } },
      ]);
  });
});

describe('consent that lapses with time (ExpireLapsedConsent, and what a lapse refuses)', () => {
  const system: Actor = { userId: 'system:consent-expiry', agencyId: owner.agencyId, agencyKind: owner.agencyKind };
  const expire = (at = t3, actor = system): CaseCommand => ({ type: 'ExpireLapsedConsent', actor, at });
  const beforeTheEnd = '2026-03-02T09:00:00.000Z';
  const lapsing = consented({ provisions: [{ ...shelterProvision, validUntil: t2 }] });
  const expired = (at = t3, by = system.userId) => step('ReferralWithdrawn', by, at, { cause: 'consent_expired' });
  /** A consent given after the lapse, covering the same agency, purpose and categories again. */
  const givenAgain = consented({ consentId: 'c-2', givenAt: t3, provisions: [{ ...shelterProvision, provisionId: 'p-again', validFrom: t3 }] });

  it('withdraws an open referral whose provision ended, at the time it runs, for the expiry', () =>
    spec.given([opened(), lapsing, referred]).when(expire()).then([expired()]));
  it('decides nothing before the end, nor when run again after the withdrawal', () => {
    spec.given([opened(), lapsing, referred]).when(expire(beforeTheEnd)).then([]);
    spec.given([opened(), lapsing, referred, expired()]).when(expire('2026-03-04T10:00:00.000Z')).then([]);
  });
  it('withdraws acknowledged, accepted and held referrals alike, and leaves finished ones alone', () => {
    spec.given([opened(), lapsing, referred, step('ReferralAcknowledged', shelter.userId, t1)]).when(expire()).then([expired()]);
    spec.given([opened(), lapsing, referred, step('ReferralAccepted', shelter.userId, t1)]).when(expire()).then([expired()]);
    spec.given([opened(), lapsing, referred, interrupted, step('ReferralPutOnHold', owner.userId, t1)]).when(expire()).then([expired()]);
    spec.given([opened(), lapsing, referred, step('ReferralAccepted', shelter.userId, t1), step('ReferralCompleted', shelter.userId, t1, { outcome: sealed })])
      .when(expire()).then([]);
  });
  it('leaves a referral that another live provision still covers', () =>
    spec.given([opened(), lapsing, consented({ consentId: 'c-2', provisions: [{ ...shelterProvision, provisionId: 'p-lasting' }] }), referred]).when(expire()).then([]));
  it('withdraws the whole referral when one of its categories lapsed', () => {
    const split = [{ ...shelterProvision, categories: ['identity'] as const, validUntil: t2 }, { ...shelterProvision, provisionId: 'p-safety', categories: ['safety'] as const }];
    spec.given([opened(), consented({ provisions: split }), referred]).when(expire()).then([expired()]);
  });
  it('withdraws a child\'s referral at the end of the best-interests determination it stood on', () => {
    const byDetermination: CaseEvent = { type: 'ReferralRequested', data: { ...referralData, legalBasis: [{ category: 'identity', determinationId: 'd-1' }, { category: 'safety', determinationId: 'd-1' }] } };
    const given = [opened('child'), proposed({ scope: [{ ...shelterGrant, validUntil: t2 }] }), determined, byDetermination];
    spec.given(given).when(expire(beforeTheEnd)).then([]);
    spec.given(given).when(expire()).then([expired()]);
  });
  it('is not revived by a consent given after the lapse and before the process ran', () =>
    spec.given([opened(), lapsing, referred, givenAgain]).when(expire('2026-03-03T11:00:00.000Z')).then([expired('2026-03-03T11:00:00.000Z')]));
  it('acts for the owning agency only', () => {
    spec.given([opened(), lapsing, referred]).when(expire(t3, { ...system, agencyId: police.agencyId })).thenThrows({ kind: 'not_found', message: 'case not found' });
    spec.given([opened(), lapsing, referred]).when(expire(t3, { ...system, agencyId: shelter.agencyId })).thenThrows({ kind: 'forbidden' });
  });

  describe('before the process has run', () => {
    const respond = (type: 'AcknowledgeReferral' | 'AcceptReferral' | 'CompleteReferral' | 'DeclineReferral'): CaseCommand =>
      type === 'CompleteReferral' ? { type, actor: shelter, at: t3, referralId: 'r-1', outcome: sealed }
        : type === 'DeclineReferral' ? { type, actor: shelter, at: t3, referralId: 'r-1', reason: 'no_capacity' } : { type, actor: shelter, at: t3, referralId: 'r-1' };
    it('refuses the recipient\'s acknowledgement, acceptance and decline once the cover lapsed', () => {
      for (const type of ['AcknowledgeReferral', 'AcceptReferral', 'DeclineReferral'] as const) {
        spec.given([opened(), lapsing, referred]).when(respond(type)).thenThrows({ kind: 'conflict', message: expect.stringContaining('has lapsed') });
      }
    });
    it('refuses the completion of an accepted referral whose cover lapsed', () =>
      spec.given([opened(), lapsing, referred, step('ReferralAccepted', shelter.userId, t1)]).when(respond('CompleteReferral'))
        .thenThrows({ kind: 'conflict', message: 'the consent this referral was made under has lapsed; cannot complete it' }));
    it('still refuses them after a consent given again since the lapse', () =>
      spec.given([opened(), lapsing, referred, givenAgain]).when(respond('AcceptReferral')).thenThrows({ kind: 'conflict' }));
    it('lets the recipient answer while the cover stands', () =>
      spec.given([opened(), lapsing, referred]).when({ type: 'AcceptReferral', actor: shelter, at: beforeTheEnd, referralId: 'r-1' })
        .then([step('ReferralAccepted', shelter.userId, beforeTheEnd)]));
    it('records the expiry as the cause when the sender withdraws the referral or closes the case', () => {
      spec.given([opened(), lapsing, referred]).when({ type: 'WithdrawReferral', actor: owner, at: t3, referralId: 'r-1' }).then([expired(t3, owner.userId)]);
      spec.given([opened(), lapsing, referred]).when({ type: 'CloseCase', actor: owner, at: t3, reason: 'other' })
        .then([{ type: 'CaseClosed', data: { by: owner.userId, at: t3, reason: 'other' } }, expired(t3, owner.userId)]);
    });
  });
});

describe('consentSubjectOf', () => {
  it('gives the policy the consents, the approved determinations only and the raised flags', () => {
    const state = [opened('child'), guardianConsented(), proposed(), determined, proposed({ determinationId: 'd-2' }),
      flagRaised('no_phone_contact'), flagRaised('location_must_not_be_shared'), flagLifted('no_phone_contact')]
      .reduce(evolve, initialState()) as ExistingCase;
    expect(consentSubjectOf(state)).toEqual({
      owningAgencyId: owner.agencyId,
      treatedAsChild: true,
      consents: [{ consentId: 'c-1', grantor: 'guardian', childAssent: true, provisions: [shelterProvision], withdrawals: {}, given: expect.anything() }],
      bestInterests: [{ determinationId: 'd-1', decidedBy: owner.userId, approvedBy: supervisor.userId, approvedAt: t1, scope }],
      safetyFlags: ['location_must_not_be_shared'],
      erased: false,
    });
  });
});

describe('erasure', () => {
  const coordinator: Actor = { userId: 'u-coordinator', agencyId: 'a-justice', agencyKind: 'prosecution' };
  const request = (actor = supervisor): CaseCommand => ({ type: 'RequestErasure', actor, at: t2, requestId: 'e-1', reason: 'person_requested' });
  const approve = (actor: Actor, asCoordinator = false): CaseCommand => ({ type: 'ApproveErasure', actor, at: t3, requestId: 'e-1', asCoordinator });
  const requested: CaseEvent = { type: 'ErasureRequested', data: { requestId: 'e-1', reason: 'person_requested', by: supervisor.userId, at: t2 } };
  const erasedBy = (by: string): CaseEvent => ({ type: 'CaseErased', data: { requestId: 'e-1', reason: 'person_requested', requestedBy: supervisor.userId, by, at: t3 } });

  it('is requested by the owning agency, and only one request waits at a time', () => {
    spec.given([opened()]).when(request()).then([requested]);
    spec.given([opened(), requested]).when(request()).thenThrows({ kind: 'conflict' });
    spec.given([opened()]).when(request(police)).thenThrows({ kind: 'not_found', message: 'case not found' });
  });

  it('needs a second person: the requester cannot approve it', () => {
    spec.given([opened(), requested]).when(approve(supervisor)).thenThrows({ kind: 'forbidden' });
  });

  it('is approved by another person of the owning agency, withdrawing open referrals in the same decision', () => {
    spec.given([opened(), consented(), referred, requested]).when(approve(owner)).then([
      erasedBy(owner.userId),
      { type: 'ReferralWithdrawn', data: { referralId: 'r-1', by: owner.userId, at: t3, cause: 'case_erased' } },
    ]);
  });

  it('may be approved by a network coordinator from another agency, and by nobody else outside it', () => {
    spec.given([opened(), requested]).when(approve(coordinator, true)).then([erasedBy(coordinator.userId)]);
    spec.given([opened(), requested]).when(approve(police)).thenThrows({ kind: 'not_found' });
    // A coordinator of an agency the case was referred to is a recipient like any other.
    spec.given([opened(), consented(), referred, requested]).when(approve({ ...shelter, userId: 'u-shelter-coordinator' }, true)).thenThrows({ kind: 'forbidden' });
  });

  it('leaves nothing to do on the case afterwards, and the policy permits nothing', () => {
    spec.given([opened(), requested, erasedBy(owner.userId)]).when({ type: 'ResumeCase', actor: owner, at: t3 }).thenThrows({ kind: 'conflict', message: 'the case is erased' });
    const state = [opened(), consented(), requested, erasedBy(owner.userId)].reduce(evolve, initialState()) as ExistingCase;
    expect(consentSubjectOf(state).erased).toBe(true);
  });

  it('for retention, erases only a case closed for the whole period', () => {
    const retention = (closedBefore: string): CaseCommand => ({ type: 'EraseForRetention', actor: { ...owner, userId: 'system:retention' }, at: t3, requestId: 'e-r', closedBefore });
    spec.given([opened(), closed]).when(retention(t3)).then([{ type: 'CaseErased', data: { requestId: 'e-r', reason: 'retention', requestedBy: 'system:retention', by: 'system:retention', at: t3 } }]);
    spec.given([opened(), closed]).when(retention(t1)).thenThrows({ kind: 'conflict' });
    spec.given([opened()]).when(retention(t3)).thenThrows({ kind: 'conflict' });
  });
});

describe('the case path: screening, identification, intake, case plan, safety', () => {
  const trained: Actor = { userId: 'u-interviewer', agencyId: 'a-trained-ngo', agencyKind: 'international_ngo' };
  const screened = (outcome: 'indicators_confirmed' | 'other_needs' = 'indicators_confirmed'): CaseEvent =>
    ({ type: 'ScreeningRecorded', data: { outcome, indicators: ['physical.untreated_injuries_or_illness'], by: owner.userId, at: t1 } });
  const interviewConsent = consented({
    provisions: [{ provisionId: 'p-int', recipient: { agencyId: trained.agencyId }, purpose: 'service_provision', serviceTypes: ['in_depth_interview'], categories: ['identity'], validFrom: t0 }],
  });
  const requestInterview: CaseCommand = {
    type: 'RequestReferral', actor: owner, at: t1, referralId: 'r-int', recipient: { agencyId: trained.agencyId, agencyKind: trained.agencyKind },
    purpose: 'service_provision', serviceType: 'in_depth_interview', urgency: 'normal', sharedCategories: ['identity'],
  };
  const interviewReferred = (): CaseEvent => caseDecider.decide(requestInterview, [opened(), screened(), interviewConsent].reduce(evolve, initialState()))[0]!;
  const interviewAccepted: CaseEvent = { type: 'ReferralAccepted', data: { referralId: 'r-int', by: trained.userId, at: t2 } };

  it('records a screening with further indicators', () =>
    spec.given([opened()]).when({ type: 'RecordScreening', actor: owner, at: t1, outcome: 'indicators_confirmed', indicators: ['physical.untreated_injuries_or_illness'] }).then([screened()]));
  it('refuses a screening that repeats an indicator already recorded, or an unknown one', () => {
    spec.given([opened()]).when({ type: 'RecordScreening', actor: owner, at: t1, outcome: 'other_needs', indicators: ['work.forced_to_work'] }).thenThrows({ kind: 'invalid' });
    spec.given([opened()]).when({ type: 'RecordScreening', actor: owner, at: t1, outcome: 'other_needs', indicators: ['trafficker.location' as never] })
      .thenThrows({ kind: 'invalid', message: 'unknown indicator codes: trafficker.location' });
  });
  it('refers for an in-depth interview only after a screening confirmed indicators', () => {
    spec.given([opened(), interviewConsent]).when(requestInterview).thenThrows({ kind: 'conflict' });
    spec.given([opened(), screened('other_needs'), interviewConsent]).when(requestInterview).thenThrows({ kind: 'conflict' });
    expect(interviewReferred()).toMatchObject({ type: 'ReferralRequested', data: { serviceType: 'in_depth_interview', toAgencyId: trained.agencyId } });
  });
  it('lets the interviewing agency record the outcome once it accepted the referral', () => {
    const given = [opened(), screened(), interviewConsent, interviewReferred()];
    const record: CaseCommand = { type: 'RecordIdentification', actor: trained, at: t3, outcome: 'trafficked_person', referralId: 'r-int' };
    spec.given(given).when(record).thenThrows({ kind: 'conflict' });
    spec.given([...given, interviewAccepted]).when(record)
      .then([{ type: 'IdentificationRecorded', data: { outcome: 'trafficked_person', agencyId: trained.agencyId, referralId: 'r-int', by: trained.userId, at: t3 } }]);
    // Not on another agency's referral, nor without naming the referral; a stranger learns nothing.
    spec.given([...given, interviewAccepted]).when({ ...record, actor: owner }).thenThrows({ kind: 'forbidden' });
    spec.given([...given, interviewAccepted]).when({ ...record, referralId: undefined } as CaseCommand).thenThrows({ kind: 'forbidden' });
    spec.given([...given, interviewAccepted]).when({ ...record, actor: police }).thenThrows({ kind: 'not_found' });
  });
  it('refuses the outcome of an accepted interview whose cover has lapsed since', () => {
    const lapsing = consented({ provisions: [{ ...(interviewConsent.data as ConsentGiven['data']).provisions[0]!, validUntil: '2026-03-02T12:00:00.000Z' }] });
    spec.given([opened(), screened(), lapsing, interviewReferred(), interviewAccepted])
      .when({ type: 'RecordIdentification', actor: trained, at: t3, outcome: 'trafficked_person', referralId: 'r-int' })
      .thenThrows({ kind: 'conflict', message: 'the consent the interview\'s referral was made under has lapsed' });
  });
  it('lets the owner\'s trained staff record an identification themselves', () =>
    spec.given([opened(), screened()]).when({ type: 'RecordIdentification', actor: owner, at: t2, outcome: 'inconclusive' })
      .then([{ type: 'IdentificationRecorded', data: { outcome: 'inconclusive', agencyId: owner.agencyId, by: owner.userId, at: t2 } }]));
  it('still allows referral for other needs when the person was found not trafficked', () => {
    const notTrafficked: CaseEvent = { type: 'IdentificationRecorded', data: { outcome: 'not_trafficked', agencyId: owner.agencyId, by: owner.userId, at: t1 } };
    const [event] = caseDecider.decide(requestShelter({ at: t2 }), [opened(), consented(), notTrafficked].reduce(evolve, initialState()));
    expect(event).toMatchObject({ type: 'ReferralRequested', data: { serviceType: 'shelter' } });
  });
  it('records the intake with a caseworker, and a case plan only after it', () => {
    const plan: CaseCommand = { type: 'RecordCasePlan', actor: owner, at: t2, servicesNeeded: ['shelter', 'medical'], plan: sealed };
    spec.given([opened()]).when(plan).thenThrows({ kind: 'conflict', message: 'a case plan follows the intake; record the intake first' });
    const intake: CaseEvent = { type: 'IntakeRecorded', data: { caseworkerId: 'u-caseworker-2', by: owner.userId, at: t1 } };
    spec.given([opened()]).when({ type: 'RecordIntake', actor: owner, at: t1, caseworkerId: 'u-caseworker-2', caseworkerIsStaff: true }).then([intake]);
    spec.given([opened(), intake]).when({ type: 'RecordIntake', actor: owner, at: t1, caseworkerId: 'u-caseworker-2', caseworkerIsStaff: true }).thenThrows({ kind: 'conflict' });
    spec.given([opened(), intake]).when(plan).then([{ type: 'CasePlanRecorded', data: { servicesNeeded: ['shelter', 'medical'], plan: sealed, by: owner.userId, at: t2 } }]);
    spec.given([opened(), intake]).when({ ...plan, servicesNeeded: ['shelter', 'shelter'] } as CaseCommand).thenThrows({ kind: 'invalid' });
    spec.given([opened()]).when({ type: 'RecordIntake', actor: owner, at: t1, caseworkerId: 'u-someone-else', caseworkerIsStaff: false }).thenThrows({ kind: 'invalid' });
    spec.given([opened(), consented(), referred]).when({ type: 'RecordIntake', actor: shelter, at: t1, caseworkerId: 'x', caseworkerIsStaff: false }).thenThrows({ kind: 'forbidden' });
  });
  it('assesses safety, raising new flags and withdrawing the referrals they no longer cover in the same decision', () => {
    const assessed: CaseEvent = { type: 'SafetyAssessed', data: { riskLevel: 'high', plan: sealed, by: owner.userId, at: t2 } };
    spec.given([opened(), consented(), referred, flagRaised('no_phone_contact')])
      .when({ type: 'AssessSafety', actor: owner, at: t2, riskLevel: 'high', plan: sealed, flags: ['no_phone_contact', 'location_must_not_be_shared'] })
      .then([assessed, flagRaised('location_must_not_be_shared', t2)]);
    spec.given([opened(), consented(), referred])
      .when({ type: 'AssessSafety', actor: owner, at: t2, riskLevel: 'high', plan: sealed, flags: ['authorities_involved_in_trafficking'] })
      .then([assessed, flagRaised('authorities_involved_in_trafficking', t2)]);
    spec.given([opened()]).when({ type: 'AssessSafety', actor: owner, at: t2, riskLevel: 'low', plan: sealed, flags: ['trafficker_known' as never] }).thenThrows({ kind: 'invalid' });
  });
});

describe('re-referral after a decline', () => {
  const clinic: Actor = { userId: 'u-clinic', agencyId: 'a-other-shelter', agencyKind: 'shelter' };
  const toOtherShelter = consented({
    consentId: 'c-2', provisions: [{ ...shelterProvision, provisionId: 'p-other', recipient: { agencyKind: 'shelter' } }],
  });
  const declined = step('ReferralDeclined', shelter.userId, t2, { reason: 'no_capacity' });
  const reRefer = (over: Partial<Extract<CaseCommand, { type: 'RequestReferral' }>> = {}) =>
    requestShelter({ referralId: 'r-2', at: t3, recipient: { agencyId: clinic.agencyId, agencyKind: 'shelter' }, reReferralOf: 'r-1', ...over });
  it('sends the declined need to another agency, naming the referral it replaces', () => {
    const [event] = caseDecider.decide(reRefer(), [opened(), consented(), toOtherShelter, referred, declined].reduce(evolve, initialState()));
    expect(event).toMatchObject({ type: 'ReferralRequested', data: { referralId: 'r-2', toAgencyId: clinic.agencyId, reReferralOf: 'r-1' } });
  });
  it('is refused unless the referral was declined, to the same agency, for another need, or twice', () => {
    const given = [opened(), consented(), toOtherShelter, referred];
    spec.given(given).when(reRefer()).thenThrows({ kind: 'conflict', message: 'referral is requested; only a declined referral is re-referred' });
    spec.given([...given, declined]).when(reRefer({ recipient: { agencyId: shelter.agencyId, agencyKind: 'shelter' } })).thenThrows({ kind: 'invalid' });
    spec.given([...given, declined]).when(reRefer({ serviceType: 'medical' })).thenThrows({ kind: 'invalid' });
    spec.given([...given, declined]).when(reRefer({ reReferralOf: 'r-9' })).thenThrows({ kind: 'not_found' });
    const again = caseDecider.decide(reRefer(), [...given, declined].reduce(evolve, initialState()));
    spec.given([...given, declined, ...again]).when(reRefer({ referralId: 'r-3' })).thenThrows({ kind: 'conflict', message: 'referral r-1 was already re-referred' });
  });
  it('records the directory service and area the referral goes to', () => {
    const [event] = caseDecider.decide(requestShelter({ directory: { serviceId: 's-1', area: 'Jere' } }), [opened(), consented()].reduce(evolve, initialState()));
    expect(event).toMatchObject({ data: { serviceId: 's-1', area: 'Jere' } });
  });
  it('refuses a recipient the directory says cannot take the referral, after checking who asks', () => {
    spec.given([opened(), consented()]).when(requestShelter({ directory: { kind: 'full', reason: 'the agency\'s shelter service is full (no places available)' } }))
      .thenThrows({ kind: 'conflict', message: 'the agency\'s shelter service is full (no places available)' });
    spec.given([opened(), consented()]).when(requestShelter({ directory: { kind: 'not_offered', reason: 'the agency does not offer shelter' } })).thenThrows({ kind: 'invalid' });
    spec.given([opened(), consented()]).when(requestShelter({ actor: police, directory: { kind: 'full', reason: 'full' } })).thenThrows({ kind: 'not_found' });
  });
});

describe('judicial cooperation by another name', () => {
  it('keeps a Red Cross case from going to law enforcement for any purpose', () => {
    const rcOpened: CaseEvent = { type: 'CaseOpened', data: { ...(opened().data as Extract<CaseEvent, { type: 'CaseOpened' }>['data']), owningAgencyId: redCross.agencyId } };
    spec.given([rcOpened]).when({
      type: 'RequestReferral', actor: redCross, at: t1, referralId: 'r-9', recipient: { agencyId: police.agencyId, agencyKind: 'law_enforcement' },
      purpose: 'service_provision', serviceType: 'personal_safety', urgency: 'high', sharedCategories: ['identity'],
    }).thenThrows({ kind: 'forbidden', message: 'Red Cross and Red Crescent members do not take part in judicial cooperation' });
  });
});
