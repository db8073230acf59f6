import { describe, it } from '@jest/globals';
import type { ConsentProvision } from '../../consent-policy/index.js';
import { deciderSpecification } from '../../testing/index.js';
import type { Actor, CaseCommand } from './commands.js';
import { caseDecider, type CaseState } from './case-decider.js';
import type { CaseEvent, ConsentGiven, ReferralRequested } from './events.js';

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
  it('refuses provision ids used before in the case', () =>
    spec.given([opened(), consented()]).when(give({ consentId: 'c-2' })).thenThrows({ kind: 'invalid' }));
  it('for a child, needs a guardian\'s consent and the child\'s assent recorded', () => {
    spec.given([opened('child')]).when(give()).thenThrows({ kind: 'invalid' });
    spec.given([opened('claims_to_be_child')]).when(give({ grantor: 'guardian' })).thenThrows({ kind: 'invalid' });
    spec.given([opened('child')]).when(give({ grantor: 'guardian', childAssent: true }))
      .then([consented({ grantor: 'guardian', childAssent: true })]);
  });
  const lawEnforcement: ConsentProvision = {
    provisionId: 'p-le', recipient: { agencyKind: 'law_enforcement' }, purpose: 'law_enforcement_report', serviceTypes: [],
    categories: ['identity'], validFrom: t0,
  };
  it('lets an adult agree explicitly to a law-enforcement report', () =>
    spec.given([opened()]).when(give({ provisions: [lawEnforcement] })).then([consented({ provisions: [lawEnforcement] })]));
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
    spec.given(given).when(respond('AcceptReferral', police)).thenThrows({ kind: 'not_found' });
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
  it('pauses an open case and keeps its referrals open', () =>
    spec.given([opened(), consented(), referred]).when(command('InterruptCase')).then([interrupted]));
  it('resumes a paused case', () => spec.given([opened(), interrupted]).when(command('ResumeCase')).then([resumed]));
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
